import { Fragment, useEffect, useMemo, useRef, useState } from "react";
import { toApiError } from "../api";
import type { ApiError, Chunk, DocumentView } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { htmlLang, splitDocument } from "../text";
import type { DocPiece, DocumentSegments } from "../text";
import { ErrorBanner } from "./ErrorBanner";

/**
 * Side panel with the whole document a passage comes from, opened at the
 * passage: a clinician checking a citation sees what the guideline says
 * around it, not just the quoted lines. Fetches the passage (`library_chunk`),
 * then its document (`library_document`); when the document cannot be read,
 * the passage alone is shown, as before.
 * Mount it with `key={chunkId}` so each passage starts from a clean state.
 */
export function PassageViewer({ chunkId, onClose }: { chunkId: string; onClose: () => void }) {
  const api = useApi();
  const t = useT();
  const [chunk, setChunk] = useState<Chunk | null>(null);
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [docError, setDocError] = useState<ApiError | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      let c: Chunk;
      try {
        c = await api.libraryChunk(chunkId);
      } catch (e) {
        if (live) setError(toApiError(e));
        return;
      }
      if (!live) return;
      setChunk(c);
      try {
        const d = await api.libraryDocument(c.document_id);
        if (live) setDoc(d);
      } catch (e) {
        if (live) setDocError(toApiError(e));
      }
    };
    void load();
    return () => {
      live = false;
    };
  }, [api, chunkId]);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  // Cut once per document: the text can be megabytes long.
  const segments = useMemo(
    () =>
      chunk && doc
        ? splitDocument(
            typeof doc.text === "string" ? doc.text : "",
            Array.isArray(doc.page_starts) ? doc.page_starts : [],
            chunk.start_char,
            chunk.end_char,
            chunk.text,
          )
        : null,
    [chunk, doc],
  );

  const pageCount = doc ? (doc.document?.pages ?? (doc.page_starts?.length || null)) : null;

  return (
    <aside
      className="passage-viewer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="passage-viewer-title"
      data-testid="passage-viewer"
      data-chunk-id={chunkId}
    >
      <header className="passage-header">
        <h2 id="passage-viewer-title">{t.passageTitle}</h2>
        <button ref={closeRef} type="button" className="btn btn-quiet" onClick={onClose} data-testid="passage-close">
          {t.close}
        </button>
      </header>
      {error && <ErrorBanner error={error} />}
      {docError && <ErrorBanner error={docError} />}
      {!chunk && !error && <p className="muted" data-testid="passage-loading">{t.loading}</p>}
      {chunk && (
        <div className="passage-content">
          <PassageMeta chunk={chunk} pageCount={pageCount} />
          {!doc && !docError && (
            <p className="muted" data-testid="document-loading">
              {t.documentLoading}
            </p>
          )}
          {doc && segments && <DocumentText segments={segments} lang={htmlLang(doc.document?.lang ?? "")} />}
          {doc && !segments && (
            <p className="muted small" data-testid="passage-not-located">
              {t.passageNotLocated}
            </p>
          )}
          {(docError || (doc && !segments)) && (
            <div className="passage-text" data-testid="passage-text">
              {chunk.text}
            </div>
          )}
        </div>
      )}
    </aside>
  );
}

/** Title, file, section and page of the cited passage. */
function PassageMeta({ chunk, pageCount }: { chunk: Chunk; pageCount: number | null }) {
  const t = useT();
  return (
    <>
      <h3 className="passage-title" data-testid="passage-title">
        {chunk.title}
      </h3>
      <dl className="meta-list">
        <dt>{t.fileLabel}</dt>
        <dd data-testid="passage-file">{chunk.file_name}</dd>
        {chunk.section && (
          <>
            <dt>{t.sectionLabel}</dt>
            <dd data-testid="passage-section">{chunk.section}</dd>
          </>
        )}
        {chunk.page !== null && chunk.page !== undefined && (
          <>
            <dt>{t.pageLabel}</dt>
            <dd>
              <span data-testid="passage-page">{chunk.page}</span>
              {pageCount !== null && (
                <span className="muted" data-testid="passage-page-count" data-value={pageCount}>
                  {t.pageCount(pageCount)}
                </span>
              )}
            </dd>
          </>
        )}
      </dl>
    </>
  );
}

/**
 * The document's text, pre-wrapped, with the passage marked and scrolled to
 * the middle of the view once shown. Rendered as plain React text only.
 * `passage-text` holds exactly the passage: page markers inside it draw their
 * label with CSS, so it is neither part of the passage's text nor copied;
 * headings keep their `#` marker in the text, only hidden from view.
 */
function DocumentText({ segments, lang }: { segments: DocumentSegments; lang: string | undefined }) {
  const t = useT();
  const markRef = useRef<HTMLElement>(null);

  useEffect(() => {
    markRef.current?.scrollIntoView?.({ block: "center" });
  }, [segments]);

  return (
    <div className="document-text" role="region" aria-label={t.documentTextLabel} tabIndex={0} lang={lang} data-testid="document-text">
      <Pieces pieces={segments.before} labelAsText />
      <mark ref={markRef} className="passage-highlight" data-testid="passage-highlight">
        <span data-testid="passage-text">
          <Pieces pieces={segments.passage} labelAsText={false} />
        </span>
      </mark>
      <Pieces pieces={segments.after} labelAsText />
    </div>
  );
}

function Pieces({ pieces, labelAsText }: { pieces: DocPiece[]; labelAsText: boolean }) {
  return pieces.map((piece, i) => {
    if (piece.kind === "text") return <Fragment key={i}>{piece.text}</Fragment>;
    if (piece.kind === "heading") return <DocHeading key={i} piece={piece} />;
    return <PageMarker key={i} page={piece.page} labelAsText={labelAsText} />;
  });
}

/**
 * A Markdown heading line of the document, as text in a styled span (never
 * parsed as HTML). Its `#` marker stays in the element, hidden by CSS, so the
 * text of the document (and of the passage) is exactly the original while the
 * reader sees a heading without `#`s. Only the piece that starts the line is
 * announced as a heading; the rest of a line cut at a page or at the passage
 * just looks like one.
 */
function DocHeading({ piece }: { piece: Extract<DocPiece, { kind: "heading" }> }) {
  const className = `doc-heading doc-heading-${piece.level}`;
  const marker =
    piece.marker === "" ? null : (
      <span className="md-marker" aria-hidden="true">
        {piece.marker}
      </span>
    );
  return piece.opens ? (
    <span className={className} role="heading" aria-level={piece.level} data-testid="doc-heading">
      {marker}
      {piece.text}
    </span>
  ) : (
    <span className={className}>
      {marker}
      {piece.text}
    </span>
  );
}

/**
 * Where a PDF page starts. Not selectable, so copying a quote does not pick
 * up "Page 2". With `labelAsText` false (inside the passage) the label is
 * drawn from `data-label` by CSS and stays out of the element's text.
 */
function PageMarker({ page, labelAsText }: { page: number; labelAsText: boolean }) {
  const t = useT();
  const label = t.pageMarker(page);
  return (
    <span className="page-marker" data-testid="page-marker" data-page={page} data-label={label}>
      {labelAsText ? label : null}
    </span>
  );
}
