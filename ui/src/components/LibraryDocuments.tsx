import { useState } from "react";
import type { ApiError, DocumentRecord } from "../api";
import { docFormatText, docLangText, useI18n } from "../i18n";
import type { Dict } from "../i18n";
import type { LibraryState } from "../state";
import { formatLocalTime, htmlLang } from "../text";
import { ErrorBanner } from "./ErrorBanner";

/**
 * The library's documents, newest first: every version, superseded ones
 * hidden unless asked for. Admins can delete a document, after an inline
 * confirmation, and replace a current one with a new edition whose file name
 * changed (a plain import would take that for a new document).
 */
export function LibraryDocuments({
  library,
  canDelete,
  importing,
}: {
  library: LibraryState;
  /** Only admins delete or replace documents. */
  canDelete: boolean;
  /** An import is running: deleting and replacing wait for it. */
  importing: boolean;
}) {
  const { t, lang } = useI18n();
  const [confirmingId, setConfirmingId] = useState<number | null>(null);
  const { documents, showSuperseded, deletingId, deleted, replacingId, replaced } = library;
  // One change to the library at a time.
  const busy = deletingId !== null || replacingId !== null || importing;

  const supersededCount = documents?.filter((d) => d.superseded_by !== null).length ?? 0;
  const shown = documents === null ? null : showSuperseded ? documents : documents.filter((d) => d.superseded_by === null);

  const confirmDelete = async (doc: DocumentRecord) => {
    const ok = await library.deleteDocument(doc);
    if (ok) setConfirmingId(null);
  };

  return (
    <section className="card" aria-labelledby="documents-heading" data-testid="library-documents">
      <div className="row wrap documents-head">
        <h2 id="documents-heading">{t.documentsHeading}</h2>
        <span className="spacer" />
        <label className="check">
          <input
            type="checkbox"
            checked={showSuperseded}
            onChange={(e) => library.setShowSuperseded(e.target.checked)}
            data-testid="library-show-superseded"
          />
          <span>{t.showSuperseded}</span>
        </label>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void library.loadDocuments()}
          disabled={library.documentsLoading}
          data-testid="library-documents-refresh"
        >
          {t.documentsRefresh}
        </button>
      </div>

      {library.documentsError && <ErrorBanner error={library.documentsError} onDismiss={library.dismissDocumentsError} />}
      {library.deleteError && <ErrorBanner error={library.deleteError} onDismiss={library.dismissDeleteError} />}
      {library.replaceError && (
        <ErrorBanner
          error={library.replaceError}
          onDismiss={library.dismissReplaceError}
          message={replaceErrorText(t, library.replaceError)}
        />
      )}
      {replaced && (
        <p className="ok-text" role="status" data-testid="library-replace-result">
          {t.documentReplaced(replaced.imported.title || replaced.imported.path, replaced.previous.version)}
        </p>
      )}
      {deleted && (
        <p className="ok-text" role="status" data-testid="library-document-deleted">
          {t.documentDeleted(deleted.title || deleted.file_name, deleted.version)}
        </p>
      )}

      {documents === null && library.documentsLoading && <p className="muted">{t.loading}</p>}
      {documents !== null && documents.length === 0 && (
        <p className="muted" data-testid="library-documents-empty">
          {t.documentsEmpty}
        </p>
      )}
      {shown !== null && documents !== null && documents.length > 0 && shown.length === 0 && (
        <p className="muted" data-testid="library-documents-empty">
          {t.documentsAllHidden}
        </p>
      )}
      {shown !== null && shown.length > 0 && (
        <div className="table-wrap">
          <table className="data-table documents-table" data-testid="library-documents-table">
            <thead>
              <tr>
                <th scope="col">{t.colTitle}</th>
                <th scope="col">{t.colFileName}</th>
                <th scope="col">{t.colLanguage}</th>
                <th scope="col">{t.colFormat}</th>
                <th scope="col" className="cell-num">{t.colPages}</th>
                <th scope="col" className="cell-num">{t.colPassages}</th>
                <th scope="col">{t.colVersion}</th>
                <th scope="col">{t.colState}</th>
                <th scope="col">{t.colImportedAt}</th>
                {canDelete && <th scope="col">{t.colActions}</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((doc) => {
                const current = doc.superseded_by === null;
                const restores = documents?.find((d) => d.superseded_by === doc.id) ?? null;
                return (
                  <tr
                    key={doc.id}
                    className={current ? undefined : "row-superseded"}
                    data-testid="library-document-row"
                    data-document-id={doc.id}
                    data-version={doc.version}
                    data-current={current ? "true" : "false"}
                  >
                    <td className="cell-strong" lang={htmlLang(doc.lang)} data-testid="library-document-title">
                      {doc.title || doc.file_name}
                    </td>
                    <td className="cell-file" data-testid="library-document-file">
                      {doc.file_name}
                    </td>
                    <td data-testid="library-document-lang">{docLangText(t, doc.lang)}</td>
                    <td data-testid="library-document-format">{docFormatText(t, doc.format)}</td>
                    {/* Empty for formats without pages (everything but PDF). */}
                    <td className="cell-num" data-testid="library-document-pages">
                      {typeof doc.pages === "number" ? doc.pages : ""}
                    </td>
                    <td className="cell-num" data-testid="library-document-chunks">
                      {doc.chunks}
                    </td>
                    <td data-testid="library-document-version">{t.versionText(doc.version)}</td>
                    <td data-testid="library-document-state">
                      {doc.superseded_by === null ? t.documentCurrent : t.documentSupersededBy(doc.superseded_by)}
                    </td>
                    <td className="cell-time" title={doc.imported_at} data-testid="library-document-imported-at">
                      {formatLocalTime(doc.imported_at, lang)}
                    </td>
                    {canDelete && (
                      <td>
                        {confirmingId === doc.id ? (
                          <span className="clear-confirm" role="group" data-testid="library-document-delete-prompt">
                            <span>{t.deleteDocumentConfirm(doc.title || doc.file_name, doc.version)}</span>
                            {restores && <span className="muted small">{t.deleteDocumentRestores(restores.id)}</span>}
                            <button
                              type="button"
                              className="btn btn-small btn-danger"
                              onClick={() => void confirmDelete(doc)}
                              disabled={busy}
                              data-testid="library-document-delete-confirm"
                            >
                              {deletingId === doc.id ? t.deletingDocument : t.deleteDocumentYes}
                            </button>
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => setConfirmingId(null)}
                              disabled={deletingId === doc.id}
                              data-testid="library-document-delete-cancel"
                            >
                              {t.cancel}
                            </button>
                          </span>
                        ) : (
                          <span className="cell-actions">
                            {current && (
                              <button
                                type="button"
                                className="btn btn-small"
                                onClick={() => void library.replaceDocument(doc)}
                                disabled={busy}
                                title={t.replaceDocumentHint}
                                data-testid="library-document-replace"
                              >
                                {replacingId === doc.id ? t.replacingDocument : t.replaceDocument}
                              </button>
                            )}
                            <button
                              type="button"
                              className="btn btn-small btn-quiet"
                              onClick={() => setConfirmingId(doc.id)}
                              disabled={busy}
                              data-testid="library-document-delete"
                            >
                              {t.deleteDocument}
                            </button>
                          </span>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {documents !== null && !showSuperseded && supersededCount > 0 && (
        <p className="muted small" data-testid="library-superseded-hidden">
          {t.supersededHidden(supersededCount)}
        </p>
      )}
    </section>
  );
}

/**
 * A replace's two own refusals say more in its words than the codes' general
 * texts; other errors (the import's) keep theirs.
 */
function replaceErrorText(t: Dict, error: ApiError): string | undefined {
  if (error.code === "invalid_input") return t.replaceAlreadyReplaced;
  if (error.code === "already_exists") return t.replaceSameContent;
  return undefined;
}
