import { Fragment, useEffect, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import type { AppInfo, Citation } from "../api";
import { useI18n, useT } from "../i18n";
import type { ChatState, Turn } from "../state";
import { formatLocalTime, splitCitations } from "../text";
import { ErrorBanner } from "./ErrorBanner";

/** Older turns condensed by the model: shown, never dropped silently. */
function SummaryNote({ text }: { text: string }) {
  const t = useT();
  return (
    <div className="notice conversation-summary" role="note" data-testid="conversation-summary">
      <strong>{t.conversationSummaryNote}</strong>
      <p className="conversation-summary-text">{text}</p>
    </div>
  );
}

/** The user's conversations, newest first, and the button that starts a new one. */
function ConversationList({ chat, onOpen }: { chat: ChatState; onOpen: (id: number) => void }) {
  const t = useT();
  const { lang } = useI18n();
  const list = chat.conversations ?? [];
  return (
    <aside className="conversation-sidebar" aria-label={t.conversationsHeading}>
      <button
        type="button"
        className="btn conversation-new"
        onClick={chat.newConversation}
        disabled={chat.generating}
        data-testid="conversation-new"
      >
        {t.newConversation}
      </button>
      <h2 className="conversation-sidebar-heading">{t.conversationsHeading}</h2>
      {chat.conversations === null && chat.conversationsLoading && <p className="muted small">{t.loading}</p>}
      {chat.conversations !== null && list.length === 0 && <p className="muted small">{t.noConversations}</p>}
      <ul className="conversation-list" data-testid="conversation-list">
        {list.map((c) => {
          const current = c.id === chat.conversationId;
          return (
            <li key={c.id}>
              <button
                type="button"
                className={current ? "conversation-item current" : "conversation-item"}
                aria-current={current ? "true" : undefined}
                aria-busy={chat.openingId === c.id ? true : undefined}
                disabled={chat.generating}
                onClick={() => onOpen(c.id)}
                data-testid="conversation-item"
                data-conversation-id={c.id}
              >
                <span className="conversation-item-title">{c.title}</span>
                <span className="conversation-item-time">{formatLocalTime(c.created_at, lang)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}

function AnswerText({ turn, onOpenCitation }: { turn: Turn; onOpenCitation: (c: Citation) => void }) {
  const t = useT();
  const className = turn.status === "generating" ? "answer streaming" : "answer";
  // Until the done event arrives the answer is plain text; afterwards only the
  // markers that match a returned citation become buttons.
  if (!turn.done) {
    return (
      <div className={className} data-testid="answer">
        {turn.answer}
      </div>
    );
  }
  const byNumber = new Map(turn.citations.map((c) => [c.n, c]));
  const segments = splitCitations(turn.answer, new Set(byNumber.keys()));
  return (
    <div className={className} data-testid="answer">
      {segments.map((seg, i) => {
        if (seg.kind === "text") return <span key={i}>{seg.text}</span>;
        const citation = byNumber.get(seg.n);
        return (
          <button
            key={i}
            type="button"
            className="citation-marker"
            data-testid="citation-marker"
            data-n={seg.n}
            aria-label={t.openCitation(seg.n)}
            onClick={() => citation && onOpenCitation(citation)}
          >
            {seg.text}
          </button>
        );
      })}
    </div>
  );
}

function TurnView({ turn, modelName, onOpenCitation }: { turn: Turn; modelName: string | null; onOpenCitation: (c: Citation) => void }) {
  const t = useT();
  const finished = turn.status !== "generating";
  // The model named in the done event answered; the one loaded now may differ.
  // A stored turn names its own model, or none.
  const answeredBy = turn.model ?? (turn.stored ? null : modelName);
  return (
    <article className="turn" data-testid="turn" data-status={turn.status}>
      <div className="question">
        <span className="role-label">{t.questionLabel}</span>
        <p className="question-text" data-testid="question">
          {turn.question}
        </p>
      </div>
      <div className="answer-block">
        <span className="role-label">{t.answerLabel}</span>
        <AnswerText turn={turn} onOpenCitation={onOpenCitation} />
        {turn.status === "generating" && (
          <div className="generating" data-testid="generating" role="status">
            <span className="dot-pulse" aria-hidden="true" />
            {t.generating}
          </div>
        )}
        {turn.partial && (
          <div className="answer-stopped answer-partial" role="status" data-testid="answer-partial">
            {t.answerPartial}
          </div>
        )}
        {finished && turn.stopped && (
          <div className="answer-stopped" data-testid="answer-stopped">
            {t.stopped}
          </div>
        )}
        {turn.error && <ErrorBanner error={turn.error} />}
        {turn.done && (
          <section className="sources" aria-label={t.sourcesHeading}>
            <h3>{t.sourcesHeading}</h3>
            {turn.citations.length === 0 ? (
              <p className="muted" data-testid="no-citations">
                {t.noSources}
              </p>
            ) : (
              <ol className="citations" data-testid="citations">
                {turn.citations.map((c, i) => (
                  <li key={`${c.n}-${c.chunk_id}-${i}`}>
                    <button
                      type="button"
                      className="citation"
                      data-testid="citation"
                      data-n={c.n}
                      data-chunk-id={c.chunk_id}
                      onClick={() => onOpenCitation(c)}
                    >
                      <span className="citation-head">
                        [{c.n}] {c.file_name}
                        {c.section ? ` — ${c.section}` : ""}
                      </span>
                      <span className="citation-quote">{c.quote}</span>
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
        {turn.done && (turn.stats || answeredBy) && (
          <dl className="stats" data-testid="answer-stats">
            {turn.stats && (
              <>
                <div>
                  <dt>{t.statTokPerS}</dt>
                  <dd data-testid="stat-tok-per-s">{turn.stats.tok_per_s.toFixed(1)}</dd>
                </div>
                <div>
                  <dt>{t.statTtft}</dt>
                  <dd data-testid="stat-ttft">{t.formatMs(turn.stats.ttft_ms)}</dd>
                </div>
                <div>
                  <dt>{t.statGenerated}</dt>
                  <dd data-testid="stat-generated">{turn.stats.generated_tokens}</dd>
                </div>
              </>
            )}
            {answeredBy && (
              <div>
                <dt>{t.statModel}</dt>
                <dd data-testid="stat-model">{answeredBy}</dd>
              </div>
            )}
          </dl>
        )}
      </div>
    </article>
  );
}

export function ChatPage({
  info,
  chat,
  onOpenPassage,
}: {
  info: AppInfo | null;
  chat: ChatState;
  onOpenPassage: (chunkId: string) => void;
}) {
  const t = useT();
  const [question, setQuestion] = useState("");
  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  const noModel = info !== null && info.model === null;
  const canAsk =
    info !== null && info.model !== null && !chat.generating && chat.openingId === null && question.trim() !== "";

  const submit = () => {
    if (!canAsk) return;
    const q = question;
    setQuestion("");
    stickToBottom.current = true;
    void chat.ask(q);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  // Follow the streaming answer unless the reader has scrolled up.
  useEffect(() => {
    const el = listRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [chat.turns]);

  const open = (id: number) => {
    stickToBottom.current = true;
    void chat.openConversation(id);
  };

  const onScroll = () => {
    const el = listRef.current;
    if (el) stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  };

  const modelName = info?.model?.name ?? null;

  return (
    <div className="page chat-page" data-testid="chat-page">
      <header className="page-header">
        <h1>{t.chatTitle}</h1>
        {modelName && (
          <p className="muted model-name" data-testid="model-name">
            {modelName}
          </p>
        )}
      </header>
      <p className="disclaimer">{t.disclaimer}</p>

      {noModel && (
        <div className="notice" role="note" data-testid="no-model">
          <strong>{t.noModelTitle}</strong>
          <p>{t.noModelHelp}</p>
        </div>
      )}

      {chat.error && <ErrorBanner error={chat.error} onDismiss={chat.dismissError} />}
      {chat.conversationsError && <ErrorBanner error={chat.conversationsError} onDismiss={chat.dismissConversationsError} />}
      {chat.openError && <ErrorBanner error={chat.openError} onDismiss={chat.dismissOpenError} />}

      <div className="chat-layout">
        <ConversationList chat={chat} onOpen={open} />
        <div className="chat-main">
          {chat.conversationTitle && (
            <h2 className="conversation-title" data-testid="conversation-title">
              {chat.conversationTitle}
            </h2>
          )}
          <div
            className="conversation"
            ref={listRef}
            onScroll={onScroll}
            aria-busy={chat.openingId !== null ? true : undefined}
            data-testid="conversation"
            data-conversation-id={chat.conversationId ?? undefined}
          >
            {chat.turns.length === 0 && chat.trailingSummaries.length === 0 ? (
              <p className="muted empty">{t.emptyConversation}</p>
            ) : (
              <>
                {chat.turns.map((turn) => (
                  <Fragment key={turn.id}>
                    {turn.summaries.map((summary, i) => (
                      <SummaryNote key={i} text={summary} />
                    ))}
                    <TurnView turn={turn} modelName={modelName} onOpenCitation={(c) => onOpenPassage(c.chunk_id)} />
                  </Fragment>
                ))}
                {chat.trailingSummaries.map((summary, i) => (
                  <SummaryNote key={`trailing-${i}`} text={summary} />
                ))}
              </>
            )}
          </div>

          <form
            className="composer"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <textarea
              className="input composer-input"
              aria-label={t.questionLabel}
              placeholder={t.questionPlaceholder}
              value={question}
              onChange={(e) => setQuestion(e.target.value)}
              onKeyDown={onKeyDown}
              rows={3}
              data-testid="chat-input"
            />
            <div className="composer-actions">
              <span className="muted hint">{t.askHint}</span>
              <button
                type="button"
                className="btn"
                onClick={() => void chat.stop()}
                disabled={!chat.generating || chat.stopping}
                data-testid="stop-button"
              >
                {t.stopButton}
              </button>
              <button type="submit" className="btn btn-primary" disabled={!canAsk} data-testid="ask-button">
                {t.askButton}
              </button>
            </div>
          </form>
        </div>
      </div>
    </div>
  );
}
