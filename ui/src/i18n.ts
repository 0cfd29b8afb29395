// A small typed dictionary: every visible string of the UI lives here.
// `en` defines the shape; `zh-CN` must provide exactly the same keys.

import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";

export type Lang = "en" | "zh-CN";

export const LANGS: readonly Lang[] = ["en", "zh-CN"];

const STORAGE_KEY = "bedside.lang";

const en = {
  appName: "Bedside",
  appTagline: "Offline clinical assistant",
  navLabel: "Main navigation",
  navChat: "Chat",
  navLibrary: "Library",
  languageLabel: "Language",
  langName: { en: "English", "zh-CN": "简体中文" } as Record<Lang, string>,
  version: (v: string) => `Version ${v}`,

  errorTitle: "Error",
  errorCode: "Code",
  errorDetails: "Details",
  dismiss: "Dismiss",
  close: "Close",
  loading: "Loading…",

  // Library
  libraryTitle: "Library",
  documentsCount: (n: number) => (n === 1 ? "1 document" : `${n} documents`),
  chunksCount: (n: number) => (n === 1 ? "1 passage" : `${n} passages`),
  importHeading: "Add documents",
  importHelp: "Markdown, plain text and HTML files are supported.",
  chooseFiles: "Choose files…",
  chooseFolder: "Choose folder…",
  importPathLabel: "Or type a file or folder path",
  importPathPlaceholder: "/path/to/guidelines",
  importButton: "Import",
  importing: "Importing…",
  importProgress: (done: number, total: number) => `${done} / ${total}`,
  importCurrent: (path: string) => `Processing ${path}`,
  summaryHeading: "Import finished",
  summaryImported: "Imported",
  summarySkipped: "Skipped",
  summaryFailed: "Failed",
  summaryNothing: "No supported files were found.",
  failedFilesHeading: "Files that could not be imported",
  skippedFilesHeading: "Skipped files",
  importedFilesHeading: "Imported files",
  importedChunks: (n: number) => (n === 1 ? "1 passage" : `${n} passages`),
  searchHeading: "Search the library",
  searchLabel: "Search terms",
  searchPlaceholder: "e.g. hypertension diagnostic criteria",
  searchButton: "Search",
  searching: "Searching…",
  noResults: "No results.",
  resultsCount: (n: number) => (n === 1 ? "1 result" : `${n} results`),
  fileLabel: "File",
  sectionLabel: "Section",
  pageLabel: "Page",
  scoreLabel: "Score",
  viewPassage: "View passage",

  // Chat
  chatTitle: "Chat",
  disclaimer:
    "Answers are generated from your library by a local model and can be wrong. Always check the cited sources before acting on them.",
  noModelTitle: "No model loaded",
  noModelHelp: "Asking questions needs a language model. Place a GGUF model where Bedside can find it and restart the app.",
  emptyConversation: "Ask a question about the documents in your library.",
  questionLabel: "Question",
  answerLabel: "Answer",
  questionPlaceholder: "Type your question…",
  askButton: "Ask",
  stopButton: "Stop",
  askHint: "Ctrl+Enter to ask",
  generating: "Generating…",
  stopped: "Stopped — the answer is incomplete.",
  sourcesHeading: "Sources",
  noSources: "No sources were cited.",
  openCitation: (n: number) => `Open source ${n}`,
  statTokPerS: "tokens/s",
  statTtft: "time to first token",
  statGenerated: "generated tokens",
  statModel: "model",
  formatMs: (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`),

  // Passage viewer
  passageTitle: "Source passage",
  documentLabel: "Document",
};

export type Dict = typeof en;

const zhCN: Dict = {
  appName: "Bedside",
  appTagline: "离线临床助手",
  navLabel: "主导航",
  navChat: "问答",
  navLibrary: "文献库",
  languageLabel: "语言",
  langName: { en: "English", "zh-CN": "简体中文" },
  version: (v: string) => `版本 ${v}`,

  errorTitle: "错误",
  errorCode: "代码",
  errorDetails: "详细信息",
  dismiss: "关闭",
  close: "关闭",
  loading: "加载中…",

  libraryTitle: "文献库",
  documentsCount: (n: number) => `${n} 篇文档`,
  chunksCount: (n: number) => `${n} 个段落`,
  importHeading: "添加文档",
  importHelp: "支持 Markdown、纯文本和 HTML 文件。",
  chooseFiles: "选择文件…",
  chooseFolder: "选择文件夹…",
  importPathLabel: "或输入文件或文件夹路径",
  importPathPlaceholder: "/path/to/guidelines",
  importButton: "导入",
  importing: "正在导入…",
  importProgress: (done: number, total: number) => `${done} / ${total}`,
  importCurrent: (path: string) => `正在处理 ${path}`,
  summaryHeading: "导入完成",
  summaryImported: "已导入",
  summarySkipped: "已跳过",
  summaryFailed: "失败",
  summaryNothing: "未找到支持的文件。",
  failedFilesHeading: "无法导入的文件",
  skippedFilesHeading: "跳过的文件",
  importedFilesHeading: "已导入的文件",
  importedChunks: (n: number) => `${n} 个段落`,
  searchHeading: "检索文献库",
  searchLabel: "检索词",
  searchPlaceholder: "例如：高血压诊断标准",
  searchButton: "检索",
  searching: "正在检索…",
  noResults: "没有结果。",
  resultsCount: (n: number) => `${n} 条结果`,
  fileLabel: "文件",
  sectionLabel: "章节",
  pageLabel: "页码",
  scoreLabel: "得分",
  viewPassage: "查看段落",

  chatTitle: "问答",
  disclaimer: "回答由本地模型根据您的文献库生成，可能有误。采取任何措施前，请务必核对所引用的来源。",
  noModelTitle: "未加载模型",
  noModelHelp: "提问需要语言模型。请将 GGUF 模型放到 Bedside 能找到的位置，然后重新启动应用。",
  emptyConversation: "请就文献库中的文档提出问题。",
  questionLabel: "问题",
  answerLabel: "回答",
  questionPlaceholder: "输入您的问题…",
  askButton: "提问",
  stopButton: "停止",
  askHint: "按 Ctrl+Enter 提问",
  generating: "正在生成…",
  stopped: "已停止——回答不完整。",
  sourcesHeading: "来源",
  noSources: "未引用任何来源。",
  openCitation: (n: number) => `打开来源 ${n}`,
  statTokPerS: "词元/秒",
  statTtft: "首词元时间",
  statGenerated: "生成词元数",
  statModel: "模型",
  formatMs: (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} 秒` : `${Math.round(ms)} 毫秒`),

  passageTitle: "来源段落",
  documentLabel: "文档",
};

export const dictionaries: Record<Lang, Dict> = { en, "zh-CN": zhCN };

export function isLang(value: unknown): value is Lang {
  return value === "en" || value === "zh-CN";
}

/** The language from a browser language tag: zh* → zh-CN, anything else → en. */
export function langFromTag(tag: string | undefined | null): Lang {
  return tag && tag.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

function readStoredLang(): Lang | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLang(stored) ? stored : null;
  } catch {
    return null;
  }
}

export function initialLang(): Lang {
  const stored = readStoredLang();
  if (stored) return stored;
  if (typeof navigator === "undefined") return "en";
  return langFromTag(navigator.languages?.[0] ?? navigator.language);
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Dict;
}

const I18nContext = createContext<I18nValue>({ lang: "en", setLang: () => {}, t: en });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage can be unavailable; the choice then lasts for this session only.
    }
  }, []);

  useEffect(() => {
    // The lang attribute also picks the right CJK glyphs in the font stack.
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo(() => ({ lang, setLang, t: dictionaries[lang] }), [lang, setLang]);
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}

export function useT(): Dict {
  return useContext(I18nContext).t;
}
