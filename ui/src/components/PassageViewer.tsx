import { useEffect, useRef, useState } from "react";
import { toApiError } from "../api";
import type { ApiError, Chunk } from "../api";
import { useApi } from "../apiContext";
import { useT } from "../i18n";
import { ErrorBanner } from "./ErrorBanner";

/**
 * Side panel with one full passage, fetched with `library_chunk`.
 * Mount it with `key={chunkId}` so each passage starts from a clean state.
 */
export function PassageViewer({ chunkId, onClose }: { chunkId: string; onClose: () => void }) {
  const api = useApi();
  const t = useT();
  const [chunk, setChunk] = useState<Chunk | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    api.libraryChunk(chunkId).then(
      (c) => {
        if (live) setChunk(c);
      },
      (e: unknown) => {
        if (live) setError(toApiError(e));
      },
    );
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
      {!chunk && !error && <p className="muted" data-testid="passage-loading">{t.loading}</p>}
      {chunk && (
        <div className="passage-content">
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
                <dd data-testid="passage-page">{chunk.page}</dd>
              </>
            )}
          </dl>
          <div className="passage-text" data-testid="passage-text">
            {chunk.text}
          </div>
        </div>
      )}
    </aside>
  );
}
