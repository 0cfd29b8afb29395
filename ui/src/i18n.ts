// A small typed dictionary: every visible string of the UI lives here.
// `en` defines the shape; `zh-CN` must provide exactly the same keys.

import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import type { AuditOutcome, Role } from "./api";

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
  "invalid_input",
  "not_authenticated",
  "forbidden",
  "bad_credentials",
  "account_locked",
  "account_disabled",
  "session_locked",
  "weak_password",
  "invalid_username",
  "unknown_role",
  "no_policy",
  "corrupt_password_hash",
  "passphrase_required",
  "db_cannot_decrypt",
  "db_tampered",
  "weak_passphrase",
  "key_file_unusable",
  "bad_snapshot",
  "already_exists",
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
  invalid_input: "Some of what was entered can't be used. Check the values and try again.",
  not_authenticated: "You are not logged in. Log in and try again.",
  forbidden: "Your role is not allowed to do this. Ask an admin if you need it.",
  bad_credentials: "Wrong user name or password.",
  account_locked:
    "This account is locked after too many failed logins. Wait a few minutes and try again, or ask an admin to reset the password.",
  account_disabled: "This account has been disabled. Ask an admin.",
  session_locked: "The session was locked because nobody used it for a while. Enter your password to continue.",
  weak_password: "The password is too weak: use at least 8 characters, and not the user name.",
  invalid_username: "This user name can't be used. Use 1 to 64 characters, without spaces at the start or end.",
  unknown_role: "Unknown role. Choose nurse, clinician or admin.",
  no_policy: "This action has no permission rule in Bedside. Contact IT support.",
  corrupt_password_hash: "The saved password of this account is damaged. Ask an admin to reset it.",
  passphrase_required: "The database is encrypted. Enter its passphrase.",
  db_cannot_decrypt:
    "The database could not be opened with this passphrase or key. Check the passphrase (or key file) and try again.",
  db_tampered:
    "The database has been altered or damaged. Do not use it: ask IT support to restore a backup.",
  weak_passphrase: "The passphrase is too short: use at least 10 characters.",
  key_file_unusable: "The database key file is missing or can't be read. Ask IT support to restore it from the backup.",
  bad_snapshot: "This backup file is damaged or is not a Bedside backup.",
  already_exists: "This already exists, for example a user with the same name.",
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
  invalid_input: "部分输入的内容无法使用。请检查后重试。",
  not_authenticated: "您尚未登录。请登录后重试。",
  forbidden: "您的角色无权执行此操作。如有需要，请联系管理员。",
  bad_credentials: "用户名或密码错误。",
  account_locked: "登录失败次数过多，此账户已被锁定。请等待几分钟后重试，或请管理员重置密码。",
  account_disabled: "此账户已被停用。请联系管理员。",
  session_locked: "因一段时间无人操作，会话已锁定。请输入密码继续。",
  weak_password: "密码强度不够：至少 8 个字符，且不能与用户名相同。",
  invalid_username: "此用户名无法使用。请使用 1 到 64 个字符，开头和结尾不能有空格。",
  unknown_role: "未知角色。请选择护士、医生或管理员。",
  no_policy: "此操作在 Bedside 中没有权限规则。请联系信息科。",
  corrupt_password_hash: "此账户保存的密码已损坏。请管理员重置密码。",
  passphrase_required: "数据库已加密。请输入数据库口令。",
  db_cannot_decrypt: "无法用此口令或密钥打开数据库。请检查口令（或密钥文件）后重试。",
  db_tampered: "数据库已被改动或损坏。请勿继续使用，请联系信息科恢复备份。",
  weak_passphrase: "口令太短：至少需要 10 个字符。",
  key_file_unusable: "数据库密钥文件丢失或无法读取。请联系信息科从备份中恢复。",
  bad_snapshot: "此备份文件已损坏，或不是 Bedside 的备份。",
  already_exists: "该项已存在，例如已有同名用户。",
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

  // Session and accounts
  roles: { nurse: "Nurse", clinician: "Clinician", admin: "Admin" } as Record<Role, string>,
  navAdmin: "Admin",
  retry: "Try again",
  usernameLabel: "User name",
  displayNameLabel: "Display name",
  passwordLabel: "Password",
  passwordConfirmLabel: "Repeat password",
  usernameRequired: "Enter a user name.",
  passwordTooShort: "The password must have at least 8 characters.",
  passwordMismatch: "The two passwords are not the same.",
  sessionLoadFailed: "Bedside could not find out who is logged in.",

  setupTitle: "Set up Bedside",
  setupIntro: "This is the first start on this computer. Protect the database, then create the first administrator.",
  setupKeyHeading: "Database encryption",
  setupKeyFileOption: "Use a key file instead of a passphrase",
  setupKeyFileHelp:
    "Bedside creates a random key in the file bedside.key in its data folder and opens the database with it automatically. Anyone who has that file and the database can read the data.",
  setupKeyFileNote:
    "Without the key file the data cannot be recovered. Keep a copy of bedside.key in a safe place, such as the hospital's password safe.",
  passphraseLabel: "Database passphrase",
  passphraseConfirmLabel: "Repeat passphrase",
  passphraseHelp: "At least 10 characters. It must be typed each time Bedside starts.",
  setupPassphraseNote:
    "Without the passphrase the data cannot be recovered, not even by IT support. Keep it in the hospital's password safe.",
  passphraseTooShort: "The passphrase must have at least 10 characters.",
  passphraseMismatch: "The two passphrases are not the same.",
  setupAdminHeading: "First administrator",
  setupAdminHelp: "This account manages users, the audit log and the settings. Password: at least 8 characters.",
  setupSubmit: "Set up",
  settingUp: "Setting up…",

  passphraseTitle: "Open the database",
  passphraseIntro: "The database is encrypted. Enter its passphrase to open it.",
  passphraseSubmit: "Open",
  opening: "Opening…",

  dbErrorTitle: "The database cannot be used",
  dbErrorHelp: "After IT support has fixed or restored the database, restart Bedside.",

  loginTitle: "Log in",
  loginSubmit: "Log in",
  loggingIn: "Logging in…",

  lockTitle: "Session locked",
  lockedUser: (name: string, role: string) => `${name} (${role}) is logged in.`,
  lockHelp: "Enter your password to continue where you left off.",
  unlockSubmit: "Unlock",
  unlocking: "Unlocking…",
  switchUser: "Log in as another user",
  switchUserHelp: "Switching user closes this session; unsaved work is lost.",

  currentUserLabel: "Logged in as",
  lockButton: "Lock",
  logoutButton: "Log out",

  // Admin
  adminTitle: "Administration",
  usersHeading: "Users",
  colUser: "User name",
  colDisplayName: "Display name",
  colRole: "Role",
  colState: "State",
  colActions: "Actions",
  stateActive: "Active",
  stateDisabled: "Disabled",
  stateLockedUntil: (time: string) => `Locked until ${time}`,
  disableUser: "Disable",
  enableUser: "Enable",
  resetPassword: "Reset password",
  newPasswordLabel: (username: string) => `New password for ${username}`,
  confirmReset: "Set password",
  cancel: "Cancel",
  passwordResetDone: (username: string) => `The password of ${username} was reset.`,
  userAdded: (username: string) => `User ${username} was added.`,
  noUsers: "No users.",
  addUserHeading: "Add a user",
  roleLabel: "Role",
  addUserSubmit: "Add user",

  auditHeading: "Audit log",
  auditFilterUser: "User",
  auditFilterAction: "Action",
  auditFilterOutcome: "Outcome",
  auditAllOutcomes: "All",
  outcomes: { ok: "OK", denied: "Denied", failed: "Failed" } as Record<AuditOutcome, string>,
  auditRefresh: "Refresh",
  auditMore: "Load older entries",
  auditEmpty: "No entries.",
  colTime: "Time",
  colAction: "Action",
  colObject: "Object",
  colOutcome: "Outcome",
  colDetail: "Detail",
  auditVerify: "Verify chain",
  verifying: "Verifying…",
  chainIntact: (rows: number, headId: number, hash: string) =>
    `Chain intact: ${rows} ${rows === 1 ? "row" : "rows"}, head #${headId} ${hash}…`,
  chainBroken: (row: number, reason: string) => `Broken at row ${row}: ${reason}`,

  settingsHeading: "Settings",
  idleLockLabel: "Lock the screen after this many minutes without use (1–60)",
  idleLockCurrent: (minutes: number) => `Current: ${minutes} min`,
  idleLockInvalid: "Enter a whole number of minutes from 1 to 60.",
  idleLockSaved: "Saved.",
  save: "Save",
  saving: "Saving…",
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

  roles: { nurse: "护士", clinician: "医生", admin: "管理员" },
  navAdmin: "管理",
  retry: "重试",
  usernameLabel: "用户名",
  displayNameLabel: "显示名称",
  passwordLabel: "密码",
  passwordConfirmLabel: "再次输入密码",
  usernameRequired: "请输入用户名。",
  passwordTooShort: "密码至少需要 8 个字符。",
  passwordMismatch: "两次输入的密码不一致。",
  sessionLoadFailed: "Bedside 无法确认当前登录的用户。",

  setupTitle: "设置 Bedside",
  setupIntro: "这是本机首次启动。请先保护数据库，再创建第一位管理员。",
  setupKeyHeading: "数据库加密",
  setupKeyFileOption: "使用密钥文件代替口令",
  setupKeyFileHelp:
    "Bedside 会在其数据文件夹中生成随机密钥文件 bedside.key，并自动用它打开数据库。任何同时拿到该文件和数据库的人都能读取数据。",
  setupKeyFileNote: "没有密钥文件，数据将无法恢复。请将 bedside.key 的副本保存在安全的地方，例如医院的密码保险箱。",
  passphraseLabel: "数据库口令",
  passphraseConfirmLabel: "再次输入口令",
  passphraseHelp: "至少 10 个字符。每次启动 Bedside 时都需要输入。",
  setupPassphraseNote: "没有口令，数据将无法恢复，信息科也无法恢复。请将口令保存在医院的密码保险箱中。",
  passphraseTooShort: "口令至少需要 10 个字符。",
  passphraseMismatch: "两次输入的口令不一致。",
  setupAdminHeading: "第一位管理员",
  setupAdminHelp: "此账户负责管理用户、审计日志和设置。密码至少 8 个字符。",
  setupSubmit: "完成设置",
  settingUp: "正在设置…",

  passphraseTitle: "打开数据库",
  passphraseIntro: "数据库已加密。请输入口令以打开。",
  passphraseSubmit: "打开",
  opening: "正在打开…",

  dbErrorTitle: "数据库无法使用",
  dbErrorHelp: "信息科修复或恢复数据库后，请重新启动 Bedside。",

  loginTitle: "登录",
  loginSubmit: "登录",
  loggingIn: "正在登录…",

  lockTitle: "会话已锁定",
  lockedUser: (name: string, role: string) => `当前登录：${name}（${role}）。`,
  lockHelp: "请输入密码，从离开的地方继续。",
  unlockSubmit: "解锁",
  unlocking: "正在解锁…",
  switchUser: "以其他用户登录",
  switchUserHelp: "切换用户会结束当前会话，未保存的内容将丢失。",

  currentUserLabel: "当前用户",
  lockButton: "锁定",
  logoutButton: "退出登录",

  adminTitle: "管理",
  usersHeading: "用户",
  colUser: "用户名",
  colDisplayName: "显示名称",
  colRole: "角色",
  colState: "状态",
  colActions: "操作",
  stateActive: "正常",
  stateDisabled: "已停用",
  stateLockedUntil: (time: string) => `锁定至 ${time}`,
  disableUser: "停用",
  enableUser: "启用",
  resetPassword: "重置密码",
  newPasswordLabel: (username: string) => `${username} 的新密码`,
  confirmReset: "设置密码",
  cancel: "取消",
  passwordResetDone: (username: string) => `已重置 ${username} 的密码。`,
  userAdded: (username: string) => `已添加用户 ${username}。`,
  noUsers: "没有用户。",
  addUserHeading: "添加用户",
  roleLabel: "角色",
  addUserSubmit: "添加用户",

  auditHeading: "审计日志",
  auditFilterUser: "用户",
  auditFilterAction: "操作",
  auditFilterOutcome: "结果",
  auditAllOutcomes: "全部",
  outcomes: { ok: "成功", denied: "被拒绝", failed: "失败" },
  auditRefresh: "刷新",
  auditMore: "加载更早的记录",
  auditEmpty: "没有记录。",
  colTime: "时间",
  colAction: "操作",
  colObject: "对象",
  colOutcome: "结果",
  colDetail: "详情",
  auditVerify: "校验日志链",
  verifying: "正在校验…",
  chainIntact: (rows: number, headId: number, hash: string) => `日志链完整：共 ${rows} 行，末行 #${headId} ${hash}…`,
  chainBroken: (row: number, reason: string) => `第 ${row} 行处断裂：${reason}`,

  settingsHeading: "设置",
  idleLockLabel: "无人操作多少分钟后锁定屏幕（1–60）",
  idleLockCurrent: (minutes: number) => `当前：${minutes} 分钟`,
  idleLockInvalid: "请输入 1 到 60 之间的整数分钟数。",
  idleLockSaved: "已保存。",
  save: "保存",
  saving: "正在保存…",
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

/** The translated role name; an unknown role is shown as the backend sent it. */
export function roleText(t: Dict, role: string): string {
  return Object.hasOwn(t.roles, role) ? t.roles[role as Role] : role;
}

/** The translated audit outcome; an unknown one is shown as the backend sent it. */
export function outcomeText(t: Dict, outcome: string): string {
  return Object.hasOwn(t.outcomes, outcome) ? t.outcomes[outcome as AuditOutcome] : outcome;
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
