// A small typed dictionary: every visible string of the UI lives here.
// `en` defines the shape; `zh-CN` must provide exactly the same keys.

import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";

export type Lang = "en" | "zh-CN";

export const LANGS: readonly Lang[] = ["en", "zh-CN"];

const STORAGE_KEY = "bedside.lang";

/** The error codes the backend sends in `{code, message, details}`. */
export const ERROR_CODES = [
  "unsupported_format",
  "corrupt_document",
  "file_too_large",
  "not_text",
  "empty_document",
  "io_error",
  "index_error",
  "invalid_query",
  "db_open_failed",
  "db_too_new",
  "not_found",
  "disk_full",
  "db_error",
  "model_not_found",
  "invalid_gguf",
  "model_truncated",
  "unsupported_architecture",
  "bad_model_path",
  "model_load_failed",
  "no_chat_template",
  "prompt_too_long",
  "inference_failed",
  "data_dir_unusable",
  "empty_question",
  "no_model",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const enErrors: Record<ErrorCode, string> = {
  unsupported_format:
    "This file type can't be imported. Supported now: Markdown (.md, .markdown), plain text (.txt), HTML (.html, .htm) and Word (.docx). PDF files will be supported later.",
  corrupt_document:
    "This file is damaged, password-protected, or not really the type its name says. Open it in its program, save an unprotected copy, and import that.",
  file_too_large: "This file is larger than 32 MiB, the import limit. Split it into smaller files and import those.",
  not_text: "This file contains binary data, not text. Save it as Markdown, plain text or HTML and import it again.",
  empty_document: "No text was found in this file. Check that it is the right file and that it is not empty.",
  io_error: "The file could not be read. Check that it still exists and that you have permission to open it.",
  index_error: "The search index failed. Try again; if it keeps happening, restart Bedside or contact IT support.",
  invalid_query: "The search could not be understood. Try plain words without special symbols.",
  db_open_failed: "The database could not be opened. Restart Bedside; if it keeps happening, contact IT support.",
  db_too_new: "This database was created by a newer version of Bedside. Update Bedside to use it.",
  not_found:
    "The requested item (for example a cited passage) no longer exists. It may have been removed or re-imported; search again.",
  disk_full: "The disk is full, so nothing was saved. Free up disk space and try again.",
  db_error: "A database error occurred. Try again; if it keeps happening, contact IT support.",
  model_not_found: "The model file was not found. Check the model path, or ask IT support to install the model.",
  invalid_gguf: "This file is not a valid GGUF model. Use a model file in GGUF format.",
  model_truncated:
    "The model file is incomplete, probably because a copy was interrupted. Copy it again, then restart Bedside.",
  unsupported_architecture: "This type of model is not supported. Use a supported GGUF chat model.",
  bad_model_path:
    "The model path contains characters that can't be used. Move the model to a folder with a simpler path (plain letters and numbers).",
  model_load_failed:
    "The model could not be loaded. The file may be damaged or the computer may be short of memory. Close other programs and restart Bedside, or contact IT support.",
  no_chat_template: "This is a base model and can't hold a conversation. Use a chat (instruct) version of the model.",
  prompt_too_long:
    "The question and the passages found are too long for the model. Ask a shorter, more specific question.",
  inference_failed: "The model failed while answering. Try asking again.",
  data_dir_unusable:
    "Bedside's data folder can't be used. Check that it exists, that it can be written to and that the disk is not full, or contact IT support.",
  empty_question: "Please type a question first.",
  no_model: "No model is loaded, so questions can't be answered yet. Ask IT support to install a model.",
  internal: "Something went wrong inside Bedside. Try again; if it keeps happening, contact IT support.",
};

const zhCNErrors: Record<ErrorCode, string> = {
  unsupported_format:
    "无法导入此类型的文件。目前支持：Markdown（.md、.markdown）、纯文本（.txt）、HTML（.html、.htm）和 Word（.docx）。PDF 文件将在以后支持。",
  corrupt_document: "此文件已损坏、设有密码保护，或与其扩展名不符。请用相应程序打开并另存一份无保护的副本后再导入。",
  file_too_large: "文件超过 32 MiB 的导入上限。请拆分为较小的文件后再导入。",
  not_text: "此文件包含二进制数据，不是文本。请另存为 Markdown、纯文本或 HTML 后重新导入。",
  empty_document: "此文件中没有找到文本。请确认文件是否正确、内容是否为空。",
  io_error: "无法读取文件。请确认文件仍然存在，并且您有权限打开它。",
  index_error: "检索索引出错。请重试；如果问题持续，请重新启动 Bedside 或联系信息科。",
  invalid_query: "无法理解检索内容。请改用简单的词语，不要使用特殊符号。",
  db_open_failed: "无法打开数据库。请重新启动 Bedside；如果问题持续，请联系信息科。",
  db_too_new: "此数据库由更新版本的 Bedside 创建。请升级 Bedside 后再使用。",
  not_found: "所请求的内容（例如引用的段落）已不存在，可能已被删除或重新导入。请重新检索。",
  disk_full: "磁盘已满，未保存任何内容。请释放磁盘空间后重试。",
  db_error: "数据库出错。请重试；如果问题持续，请联系信息科。",
  model_not_found: "找不到模型文件。请检查模型路径，或请信息科安装模型。",
  invalid_gguf: "此文件不是有效的 GGUF 模型。请使用 GGUF 格式的模型文件。",
  model_truncated: "模型文件不完整，可能是复制过程被中断。请重新复制，然后重新启动 Bedside。",
  unsupported_architecture: "不支持此类型的模型。请使用受支持的 GGUF 对话模型。",
  bad_model_path: "模型路径中含有无法使用的字符。请将模型移到路径更简单的文件夹（仅含英文字母和数字）。",
  model_load_failed: "无法加载模型。文件可能已损坏，或电脑内存不足。请关闭其他程序后重新启动 Bedside，或联系信息科。",
  no_chat_template: "这是基础模型，不能进行对话。请使用该模型的对话（Instruct/Chat）版本。",
  prompt_too_long: "问题加上检索到的段落超出了模型能处理的长度。请提出更简短、更具体的问题。",
  inference_failed: "模型在回答时出错。请重新提问。",
  data_dir_unusable: "无法使用 Bedside 的数据文件夹。请确认该文件夹存在、可以写入且磁盘未满，或联系信息科。",
  empty_question: "请先输入问题。",
  no_model: "尚未加载模型，暂时无法回答问题。请联系信息科安装模型。",
  internal: "Bedside 内部出错。请重试；如果问题持续，请联系信息科。",
};

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
  errorOriginalMessage: "Original message",
  errorTechnicalDetails: "Technical details",
  errors: enErrors,
  dismiss: "Dismiss",
  close: "Close",
  loading: "Loading…",

  // Library
  libraryTitle: "Library",
  documentsCount: (n: number) => (n === 1 ? "1 document" : `${n} documents`),
  chunksCount: (n: number) => (n === 1 ? "1 passage" : `${n} passages`),
  importHeading: "Add documents",
  importHelp: "Markdown, plain text, HTML and Word (.docx) files are supported.",
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
  errorOriginalMessage: "原始信息",
  errorTechnicalDetails: "技术细节",
  errors: zhCNErrors,
  dismiss: "关闭",
  close: "关闭",
  loading: "加载中…",

  libraryTitle: "文献库",
  documentsCount: (n: number) => `${n} 篇文档`,
  chunksCount: (n: number) => `${n} 个段落`,
  importHeading: "添加文档",
  importHelp: "支持 Markdown、纯文本、HTML 和 Word（.docx）文件。",
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

export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/**
 * The text to show for an error: the translation for a known code, otherwise
 * the backend's own message (or the code itself when that message is empty).
 */
export function errorText(t: Dict, code: string, fallbackMessage: string): string {
  if (isErrorCode(code)) return t.errors[code];
  return fallbackMessage.trim() !== "" ? fallbackMessage : code;
}

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
