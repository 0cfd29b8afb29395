import { Fragment, useEffect, useState } from "react";
import { toApiError } from "../api";
import type { ApiError, ImportJob, JobFile } from "../api";
import { useApi } from "../apiContext";
import { errorText, jobFileStatusText, jobStateText, useI18n, useT } from "../i18n";
import type { LibraryState } from "../state";
import { formatLocalTime } from "../text";
import { ErrorBanner } from "./ErrorBanner";

/** Interrupted (its runner stopped) and cancelled jobs still have files to import. */
function canResume(job: ImportJob): boolean {
  return (job.state === "interrupted" || job.state === "cancelled") && job.pending > 0;
}

/**
 * The notice at the top of the Library page when an import was cut short by a
 * closed window, a killed CLI or a power cut: nothing else would tell the
 * admin that part of a folder never reached the library. Hidden while this
 * window imports (a resume clears it once the jobs are read again).
 */
export function InterruptedImportNotice({ library }: { library: LibraryState }) {
  const t = useT();
  const job = library.jobs?.find((j) => j.state === "interrupted" && j.pending > 0);
  if (!job || library.importState.phase === "running") return null;
  return (
    <div className="notice interrupted-notice" role="status" data-testid="import-interrupted-notice" data-job-id={job.id}>
      <strong>{t.importInterrupted(job.pending)}</strong>
      <p>{t.importInterruptedHelp}</p>
      <button
        type="button"
        className="btn btn-small btn-primary"
        onClick={() => void library.resumeImport(job.id)}
        data-testid="import-interrupted-resume"
      >
        {t.jobResume}
      </button>
    </div>
  );
}

/**
 * Recent import jobs (admins): where each stands, and Resume for the ones cut
 * short. A resumed run's progress shows in the import card above, like a new
 * import's.
 */
export function ImportJobs({ library }: { library: LibraryState }) {
  const t = useT();
  const [openIds, setOpenIds] = useState<ReadonlySet<number>>(() => new Set());
  const { jobs } = library;
  const running = library.importState.phase === "running";

  const toggle = (id: number) =>
    setOpenIds((ids) => {
      const next = new Set(ids);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="card" aria-labelledby="jobs-heading" data-testid="import-jobs">
      <div className="row wrap documents-head">
        <h2 id="jobs-heading">{t.jobsHeading}</h2>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void library.loadJobs()}
          disabled={library.jobsLoading}
          data-testid="import-jobs-refresh"
        >
          {t.documentsRefresh}
        </button>
      </div>
      <p className="muted small">{t.jobsHelp}</p>

      {library.jobsError && <ErrorBanner error={library.jobsError} onDismiss={library.dismissJobsError} />}
      {jobs === null && library.jobsLoading && <p className="muted">{t.loading}</p>}
      {jobs !== null && jobs.length === 0 && (
        <p className="muted" data-testid="import-jobs-empty">
          {t.jobsEmpty}
        </p>
      )}
      {jobs !== null && jobs.length > 0 && (
        <div className="table-wrap">
          <table className="data-table jobs-table" data-testid="import-jobs-table">
            <thead>
              <tr>
                <th scope="col">{t.colJob}</th>
                <th scope="col">{t.colState}</th>
                <th scope="col" className="cell-num">{t.colFiles}</th>
                <th scope="col" className="cell-num">{t.summaryImported}</th>
                <th scope="col" className="cell-num">{t.summarySkipped}</th>
                <th scope="col" className="cell-num">{t.summaryFailed}</th>
                <th scope="col" className="cell-num">{t.colPages}</th>
                <th scope="col">{t.colStarted}</th>
                <th scope="col">{t.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <Fragment key={job.id}>
                  <JobRow
                    job={job}
                    open={openIds.has(job.id)}
                    onToggle={() => toggle(job.id)}
                    onResume={() => void library.resumeImport(job.id)}
                    resumeDisabled={running}
                  />
                  {openIds.has(job.id) && (
                    <tr className="job-files-row">
                      <td colSpan={JOB_COLUMNS}>
                        {/* Keyed on the counts, so the list is read again once the job moves on. */}
                        <JobFiles key={`${job.id}-${job.state}-${job.pending}`} jobId={job.id} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const JOB_COLUMNS = 9;

function JobRow({
  job,
  open,
  onToggle,
  onResume,
  resumeDisabled,
}: {
  job: ImportJob;
  open: boolean;
  onToggle: () => void;
  onResume: () => void;
  /** This window already runs an import (one at a time). */
  resumeDisabled: boolean;
}) {
  const { t, lang } = useI18n();
  return (
    <tr data-testid="import-job-row" data-state={job.state} data-job-id={job.id}>
      <td className="cell-strong">#{job.id}</td>
      <td>
        <span className={`job-state job-state-${job.state}`} data-testid="import-job-state">
          {jobStateText(t, job.state)}
        </span>
      </td>
      <td className="cell-num" data-testid="import-job-files-done">
        {t.importProgress(job.files - job.pending, job.files)}
      </td>
      <td className="cell-num" data-testid="import-job-imported">
        {job.imported}
      </td>
      <td className="cell-num" data-testid="import-job-skipped">
        {job.skipped}
      </td>
      <td className={job.failed > 0 ? "cell-num cell-fail" : "cell-num"} data-testid="import-job-failed">
        {job.failed}
      </td>
      <td className="cell-num" data-testid="import-job-pages">
        {job.pages}
      </td>
      <td className="cell-time" title={job.created_at}>
        <span data-testid="import-job-started">{formatLocalTime(job.created_at, lang)}</span>
        <span className="muted small job-by" data-testid="import-job-by">
          {t.jobStartedBy(job.created_by)}
        </span>
      </td>
      <td>
        <span className="cell-actions">
          {canResume(job) && (
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={onResume}
              disabled={resumeDisabled}
              aria-label={t.jobResumeLabel(job.id)}
              data-testid="import-job-resume"
            >
              {t.jobResume}
            </button>
          )}
          <button
            type="button"
            className="btn btn-small btn-quiet"
            onClick={onToggle}
            aria-expanded={open}
            data-testid="import-job-files-toggle"
          >
            {open ? t.jobFilesHide : t.jobFilesShow}
          </button>
        </span>
      </td>
    </tr>
  );
}

/** One job's files, read when shown. */
function JobFiles({ jobId }: { jobId: number }) {
  const api = useApi();
  const t = useT();
  const [files, setFiles] = useState<JobFile[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    api.libraryJobFiles(jobId).then(
      (list) => {
        if (live) setFiles(Array.isArray(list) ? list : []);
      },
      (e: unknown) => {
        if (live) setError(toApiError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, jobId]);

  if (error) return <ErrorBanner error={error} />;
  if (files === null) return <p className="muted small">{t.loading}</p>;
  if (files.length === 0) return <p className="muted small">{t.jobFilesEmpty}</p>;
  return (
    <div className="file-list job-files">
      <ul data-testid="import-job-files">
        {files.map((f) => (
          <JobFileItem key={f.ord} file={f} />
        ))}
      </ul>
    </div>
  );
}

function JobFileItem({ file }: { file: JobFile }) {
  const t = useT();
  return (
    <li data-testid="import-job-file" data-status={file.status}>
      <span className="path">{file.path}</span>
      <span className={`job-file-status job-file-${file.status}`} data-testid="import-job-file-status">
        {jobFileStatusText(t, file.status)}
      </span>
      <JobFileDetail file={file} />
    </li>
  );
}

/** Why a file failed or was skipped, or what it became. */
function JobFileDetail({ file }: { file: JobFile }) {
  const t = useT();
  if (file.status === "failed") {
    const message = file.message ?? "";
    const text = errorText(t, file.code ?? "", message);
    return (
      <>
        {file.code && <code className="code">{file.code}</code>}
        <span className="message" data-testid="import-job-file-error" title={message !== text ? message : undefined}>
          {text}
        </span>
      </>
    );
  }
  if (file.status === "skipped") {
    const reason = file.code === "duplicate" ? t.jobFileDuplicate : (file.message ?? file.code ?? "");
    return reason ? <span className="message">{reason}</span> : null;
  }
  if (file.status === "imported") {
    return (
      <span className="muted">
        {typeof file.pages === "number" && `${t.jobPages(file.pages)} · `}
        {typeof file.chunks === "number" && t.importedChunks(file.chunks)}
      </span>
    );
  }
  return null;
}
