import { useEffect } from "react";
import type { FormEvent, KeyboardEvent } from "react";
import type { AppInfo } from "../api";
import { errorText, useT } from "../i18n";
import type { ImportState, LibraryState } from "../state";
import { ErrorBanner } from "./ErrorBanner";
import { Highlighted } from "./Highlighted";
import { ImportJobs, InterruptedImportNotice } from "./ImportJobs";
import { LibraryDocuments } from "./LibraryDocuments";

/** Enter while an input method is composing (Chinese input) must not submit. */
function guardComposition(e: KeyboardEvent<HTMLInputElement>) {
  if (e.key === "Enter" && (e.nativeEvent.isComposing || e.keyCode === 229)) e.preventDefault();
}

export function LibraryPage({
  info,
  library,
  canImport,
  canDelete,
  onOpenPassage,
}: {
  info: AppInfo | null;
  library: LibraryState;
  /** Only admins add documents; everyone searches. */
  canImport: boolean;
  /** Only admins delete documents. */
  canDelete: boolean;
  onOpenPassage: (chunkId: string) => void;
}) {
  const t = useT();
  const { importState: imp, hits, loadJobs } = library;
  const running = imp.phase === "running";

  // Admins see the import jobs; read them when the page opens, so an import
  // cut short by a closed window or a power cut is noticed at once.
  useEffect(() => {
    if (!canImport) return;
    const timer = window.setTimeout(() => void loadJobs(), 0);
    return () => window.clearTimeout(timer);
  }, [canImport, loadJobs]);

  const onImportSubmit = (e: FormEvent) => {
    e.preventDefault();
    void library.runImport([library.importPath]);
  };
  const onSearchSubmit = (e: FormEvent) => {
    e.preventDefault();
    void library.search();
  };

  const report = imp.report;
  const cancelled = report?.cancelled === true;
  const replacedCount = report ? report.imported.filter((f) => typeof f.replaces === "number").length : 0;

  return (
    <div className="page library-page" data-testid="library-page">
      <header className="page-header">
        <h1>{t.libraryTitle}</h1>
        {info && (
          <p className="counts">
            <span data-testid="doc-count" data-value={info.documents}>
              {t.documentsCount(info.documents)}
            </span>
            <span aria-hidden="true"> · </span>
            <span data-testid="chunk-count" data-value={info.chunks}>
              {t.chunksCount(info.chunks)}
            </span>
            {info.embedded !== null && info.embedded < info.chunks && (
              <>
                <span aria-hidden="true"> · </span>
                <span data-testid="embedding-progress" data-value={info.embedded}>
                  {t.embeddingProgress(info.embedded, info.chunks)}
                </span>
              </>
            )}
          </p>
        )}
      </header>

      {canImport && <InterruptedImportNotice library={library} />}

      {canImport && (
        <section className="card" aria-labelledby="import-heading">
          <h2 id="import-heading">{t.importHeading}</h2>
          <p className="muted">{t.importHelp}</p>
          <div className="row">
            <button type="button" className="btn" onClick={() => void library.pickFiles()} disabled={running} data-testid="choose-files">
              {t.chooseFiles}
            </button>
            <button type="button" className="btn" onClick={() => void library.pickFolder()} disabled={running} data-testid="choose-folder">
              {t.chooseFolder}
            </button>
          </div>
          <form className="row" onSubmit={onImportSubmit}>
            <label className="grow">
              <span className="label">{t.importPathLabel}</span>
              <input
                type="text"
                className="input"
                value={library.importPath}
                onChange={(e) => library.setImportPath(e.target.value)}
                onKeyDown={guardComposition}
                placeholder={t.importPathPlaceholder}
                spellCheck={false}
                autoComplete="off"
                data-testid="import-path"
              />
            </label>
            <button
              type="submit"
              className="btn btn-primary align-end"
              disabled={running || library.importPath.trim() === ""}
              data-testid="import-button"
            >
              {running ? t.importing : t.importButton}
            </button>
          </form>

          {library.importError && <ErrorBanner error={library.importError} onDismiss={library.dismissImportError} />}

          {running && <ImportProgress imp={imp} onCancel={() => void library.cancelImport()} />}

          {imp.phase === "finished" && report && (
            <div className="import-summary" data-testid="import-summary" role="status">
              <h3>{cancelled ? t.summaryCancelledHeading : t.summaryHeading}</h3>
              {cancelled && (
                <p className="import-cancelled" data-testid="import-cancelled" data-value={report.imported.length}>
                  {t.importCancelled(report.imported.length)}
                </p>
              )}
              <ul className="summary-counts">
                <li className="ok">
                  {t.summaryImported}: <strong data-testid="import-imported-count">{report.imported.length}</strong>
                </li>
                {replacedCount > 0 && (
                  <li className="ok">
                    {t.summaryReplaced}: <strong data-testid="import-replaced-count">{replacedCount}</strong>
                  </li>
                )}
                <li className="skip">
                  {t.summarySkipped}: <strong data-testid="import-skipped-count">{report.skipped.length}</strong>
                </li>
                <li className={report.failed.length > 0 ? "fail" : ""}>
                  {t.summaryFailed}: <strong data-testid="import-failed-count">{report.failed.length}</strong>
                </li>
              </ul>
              {!cancelled && report.imported.length + report.skipped.length + report.failed.length === 0 && (
                <p className="muted">{t.summaryNothing}</p>
              )}
              {report.failed.length > 0 && (
                <div className="file-list">
                  <h4>{t.failedFilesHeading}</h4>
                  <ul data-testid="import-failed-list">
                    {report.failed.map((f, i) => {
                      const text = errorText(t, f.code, f.message);
                      const original = f.message.trim() !== "" && f.message !== text ? f.message : null;
                      return (
                        <li key={`${f.path}-${i}`} data-testid="import-failed">
                          <span className="path">{f.path}</span>
                          <code className="code" data-testid="import-failed-code">{f.code}</code>
                          <span className="message" data-testid="import-failed-message" title={original ?? undefined}>
                            {text}
                          </span>
                          {original !== null && (
                            <span className="message-original" lang="en" data-testid="import-failed-original">
                              {original}
                            </span>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </div>
              )}
              {report.skipped.length > 0 && (
                <details className="file-list">
                  <summary>{t.skippedFilesHeading}</summary>
                  <ul>
                    {report.skipped.map((f, i) => (
                      <li key={`${f.path}-${i}`} data-testid="import-skipped">
                        <span className="path">{f.path}</span>
                        <span className="message">{f.reason}</span>
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {report.imported.length > 0 && (
                <details className="file-list" open={replacedCount > 0}>
                  <summary>{t.importedFilesHeading}</summary>
                  <ul>
                    {report.imported.map((f) => (
                      <li
                        key={`${f.document_id}-${f.path}`}
                        data-testid="import-imported"
                        data-document-id={f.document_id}
                        data-replaces={typeof f.replaces === "number" ? f.replaces : undefined}
                      >
                        <span className="path">{f.title || f.path}</span>
                        <span className="muted">{t.importedChunks(f.chunks)}</span>
                        {typeof f.replaces === "number" && (
                          <span className="replaces-badge" data-testid="import-imported-replaces">
                            {t.importedReplaces(f.replaces)}
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </div>
          )}
        </section>
      )}

      <section className="card" aria-labelledby="search-heading">
        <h2 id="search-heading">{t.searchHeading}</h2>
        <form className="row" onSubmit={onSearchSubmit} role="search">
          <input
            type="search"
            className="input grow"
            aria-label={t.searchLabel}
            value={library.query}
            onChange={(e) => library.setQuery(e.target.value)}
            onKeyDown={guardComposition}
            placeholder={t.searchPlaceholder}
            autoComplete="off"
            data-testid="search-input"
          />
          <button
            type="submit"
            className="btn btn-primary"
            disabled={library.searching || library.query.trim() === ""}
            data-testid="search-button"
          >
            {library.searching ? t.searching : t.searchButton}
          </button>
        </form>

        {library.searchError && <ErrorBanner error={library.searchError} onDismiss={library.dismissSearchError} />}

        {hits !== null && hits.length === 0 && (
          <p className="muted no-results" data-testid="search-empty">
            {t.noResults}
          </p>
        )}
        {hits !== null && hits.length > 0 && (
          <>
            <p className="muted results-count">{t.resultsCount(hits.length)}</p>
            <ol className="search-results" data-testid="search-results">
              {hits.map((hit, i) => (
                <li key={`${hit.chunk_id}-${i}`} className="search-hit" data-testid="search-hit" data-chunk-id={hit.chunk_id}>
                  <div className="hit-head">
                    <span className="hit-title" data-testid="hit-title">{hit.title}</span>
                    <span className="hit-score" title={t.scoreLabel}>
                      {t.scoreLabel} <span data-testid="hit-score">{Number.isFinite(hit.score) ? hit.score.toFixed(2) : String(hit.score)}</span>
                    </span>
                  </div>
                  <div className="hit-meta muted">
                    <span data-testid="hit-file">{hit.file_name}</span>
                    {hit.section && (
                      <>
                        <span aria-hidden="true"> · </span>
                        <span data-testid="hit-section">{hit.section}</span>
                      </>
                    )}
                    {hit.page !== null && hit.page !== undefined && (
                      <>
                        <span aria-hidden="true"> · </span>
                        <span data-testid="hit-page">
                          {t.pageLabel} {hit.page}
                        </span>
                      </>
                    )}
                  </div>
                  {hit.also_in.length > 0 && (
                    <div className="hit-meta muted" data-testid="hit-also-in">
                      {t.alsoIn}: {hit.also_in.map((d) => d.file_name).join(", ")}
                    </div>
                  )}
                  <p className="hit-snippet" data-testid="hit-snippet">
                    <Highlighted text={hit.snippet} ranges={hit.highlights} />
                  </p>
                  <button type="button" className="btn btn-link" onClick={() => onOpenPassage(hit.chunk_id)} data-testid="hit-open">
                    {t.viewPassage}
                  </button>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>

      {canImport && <ImportJobs library={library} />}

      <LibraryDocuments library={library} canDelete={canDelete} importing={running} />
    </div>
  );
}

/**
 * The running import (new or resumed): files done of the job's total (a
 * resumed job starts where its earlier runs stopped), PDF pages so far, the
 * time left once the backend can estimate it, and Cancel.
 */
function ImportProgress({ imp, onCancel }: { imp: ImportState; onCancel: () => void }) {
  const t = useT();
  return (
    <div className="import-progress" aria-live="polite" data-resumed={imp.resumed ? "true" : undefined}>
      {imp.resumed && imp.jobId !== null && (
        <span className="progress-current" data-testid="import-resuming">
          {t.importResuming(imp.jobId)}
        </span>
      )}
      <progress data-testid="import-progress" max={Math.max(imp.total, 1)} value={imp.total > 0 ? imp.processed : undefined} />
      <span className="progress-text" data-testid="import-progress-text">
        {t.importProgress(imp.processed, imp.total)}
      </span>
      {imp.pagesDone > 0 && (
        <span className="progress-text muted" data-testid="import-progress-pages" data-value={imp.pagesDone}>
          {t.importPagesDone(imp.pagesDone)}
        </span>
      )}
      {imp.etaS !== null && (
        <span className="progress-text muted" data-testid="import-progress-eta" data-value={imp.etaS}>
          {t.importEta(imp.etaS)}
        </span>
      )}
      <button type="button" className="btn btn-small" onClick={onCancel} disabled={imp.cancelling} data-testid="import-cancel">
        {imp.cancelling ? t.importCancelling : t.importCancel}
      </button>
      {imp.current && <span className="progress-current muted">{t.importCurrent(imp.current)}</span>}
    </div>
  );
}
