// A small typed dictionary: every visible string of the UI lives here.
// `en` defines the shape; `zh-CN` must provide exactly the same keys.

import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import type { AuditOutcome, Consciousness, News2Risk, Role, Sex, TaskName } from "./api";
import type { AgeUnit, ArrivalMode, FieldError, QuickPick, ResourceId } from "./triage";

export type Lang = "en" | "zh-CN";

export const LANGS: readonly Lang[] = ["en", "zh-CN"];

const STORAGE_KEY = "bedside.lang";

/** The error codes the backend sends in `{code, message, details}`. */
export const ERROR_CODES = [
  "unsupported_format",
  "corrupt_document",
  "encrypted_document",
  "no_text_layer",
  "import_running",
  "import_finished",
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
  "content_too_large",
  "link_outside_folder",
  "in_data_dir",
  "assessment_stale",
  "not_an_embedding_model",
  "unembeddable_text",
  "empty_question",
  "no_model",
  "internal",
  "invalid_input",
  "not_authenticated",
  "forbidden",
  "bad_credentials",
  "account_locked",
  "try_again_later",
  "account_disabled",
  "password_changed",
  "password_change_required",
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
  "impossible_value",
  "invalid_value",
  "future_time",
  "invalid_intake",
  "incomplete_output",
  "insufficient_memory",
  "invalid_grammar",
  "checksum_mismatch",
  "copy_failed",
  "cancelled",
  "in_use",
  "unknown_template",
  "remote_config",
  "remote_insecure",
  "remote_url_credentials",
  "remote_unreachable",
  "remote_timeout",
  "remote_unauthorized",
  "remote_rate_limited",
  "remote_unavailable",
  "remote_server_error",
  "remote_refused",
  "remote_bad_stream",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const enErrors: Record<ErrorCode, string> = {
  unsupported_format:
    "This file type can't be imported. Supported: PDF (.pdf), Word (.docx), HTML (.html, .htm), Markdown (.md, .markdown) and plain text (.txt).",
  corrupt_document:
    "This file is damaged, password-protected, or not really the type its name says. Open it in its program, save an unprotected copy, and import that.",
  encrypted_document:
    "This PDF is protected by a password. Open it with the password, save an unprotected copy, and import that.",
  no_text_layer:
    "This PDF has no readable text: its pages are scanned images, or its fonts have no map to characters. Run it through OCR (text recognition) and import the result.",
  import_running:
    "This import is already running in another Bedside window or in the command line. Wait for it to finish there, or stop it there first.",
  import_finished: "This import has no files left to import: it is already finished.",
  file_too_large: "This file is larger than 32 MiB, the import limit. Split it into smaller files and import those.",
  not_text: "This file contains binary data, not text. Save it as Markdown, plain text or HTML and import it again.",
  empty_document: "No text was found in this file. Check that it is the right file and that it is not empty.",
  io_error: "The file could not be read. Check that it still exists and that you have permission to open it.",
  index_error: "The search index failed. Try again; if it keeps happening, restart Bedside or contact IT support.",
  invalid_query: "The search could not be understood. Try plain words without special symbols.",
  db_open_failed: "The database could not be opened. Restart Bedside; if it keeps happening, contact IT support.",
  db_too_new: "This database was created by a newer version of Bedside. Update Bedside to use it.",
  not_found:
    "The requested item (a cited passage, a conversation, a model) does not exist or is no longer available. It may have been removed; refresh and try again.",
  disk_full: "The disk is full, so nothing was saved. Free up disk space and try again.",
  db_error: "A database error occurred. Try again; if it keeps happening, contact IT support.",
  model_not_found: "The model file was not found. Check the model path, or ask IT support to install the model.",
  invalid_gguf: "This file is not a valid GGUF model. Use a model file in GGUF format.",
  model_truncated:
    "The model file is incomplete, probably because a copy or download was interrupted. Copy it again and import it again.",
  unsupported_architecture: "This type of model is not supported. Use a supported GGUF chat model.",
  bad_model_path:
    "The model path contains characters that can't be used. Move the model to a folder with a simpler path (plain letters and numbers).",
  model_load_failed:
    "The model could not be loaded. The file may be damaged or the computer may be short of memory. Close other programs and restart Bedside, or contact IT support.",
  no_chat_template: "This is a base model and can't hold a conversation. Use a chat (instruct) version of the model.",
  prompt_too_long:
    "The question and the passages found are too long for the model. Ask a shorter, more specific question.",
  inference_failed: "The model failed while answering. Try asking again.",
  content_too_large:
    "This document expands to more text than Bedside reads from one file (a PDF may decompress to at most 256 MiB). The other files were imported.",
  link_outside_folder:
    "This is a link to a file outside the chosen folder, so it was not read. Copy the file into the folder if it belongs in the library.",
  in_data_dir: "This is part of Bedside's own data (database, key, index or backups) and is never imported.",
  assessment_stale:
    "This grading can no longer be saved: the form changed, it was graded again or saved already, or it is too old. Check the board first: if the patient is not on it, grade the form again, then save.",
  not_an_embedding_model:
    "This model file cannot compare meanings (it is not an embedding model). Search works by words only.",
  unembeddable_text: "The embedding model could not read this text. It is still found by its words.",
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
  try_again_later:
    "Too many wrong passwords at this workstation. Wait a moment before the next try; the account itself is not locked.",
  account_disabled: "This account has been disabled. Ask an admin.",
  password_changed: "Your password was changed since you logged in. Log in again with the new password.",
  password_change_required: "An admin set your password. Choose your own before going on.",
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
  already_exists:
    "This already exists: a user or model with the same name, or a file with exactly the same content (a document or a model), was added before.",
  impossible_value: "A value is not possible (for example a heart rate of 400). Check the field marked in red and correct it.",
  invalid_value: "A value has the wrong form or is missing. Check the field marked in red.",
  future_time: "This time is in the future. Check the date and time marked in red.",
  invalid_intake: "The intake form could not be read. Check the values and try again; if it keeps happening, contact IT support.",
  incomplete_output: "The model's answer was cut short or stopped before it was complete.",
  insufficient_memory: "There is not enough memory for the model. Close other programs, or ask IT support for a smaller model.",
  invalid_grammar: "The model's output format could not be set up. Contact IT support.",
  checksum_mismatch:
    "The file's SHA-256 does not match the expected value: it may be damaged or not the file that was published. Nothing was kept.",
  copy_failed:
    "The file could not be copied into Bedside's data folder, and nothing was kept. Check that the file can be read and that the disk is not full.",
  cancelled: "Cancelled. Nothing was kept.",
  in_use: "A task still uses this model. Choose another model for that task first, then remove it.",
  unknown_template: "Bedside does not know this chat template. Choose one from the list.",
  remote_config:
    "The remote engine's settings can't be used. Check the base URL (it starts with http:// or https:// and names a host), the model name and the timeout (1–600 s).",
  remote_insecure:
    "Plain http:// to another computer would send questions, patient text and the API key over the network unencrypted. Use an https:// address, or, if the hospital accepts the risk for this server, tick “Allow unencrypted http to this host”.",
  remote_url_credentials:
    "The base URL contains a user name or password. Remove them from the address; an API key goes in its own field. Nothing was saved.",
  remote_unreachable:
    "The inference server can't be reached. Check its address and the network connection, or contact IT support.",
  remote_timeout:
    "The inference server did not answer in time. Try again; if it keeps happening, raise the timeout or contact IT support.",
  remote_unauthorized: "The inference server refused the API key. An admin should check the key on the Models page.",
  remote_rate_limited: "The inference server is busy and asked Bedside to slow down. Wait a moment and try again.",
  remote_unavailable:
    "The inference server is not ready yet (it may still be loading its model). Try again in a minute.",
  remote_server_error: "The inference server failed. Try again; if it keeps happening, contact IT support.",
  remote_refused:
    "The inference server refused the request. An admin should check the model name and the remote engine's settings.",
  remote_bad_stream:
    "The inference server's reply could not be read; it may not be OpenAI-compatible. An admin should check the base URL.",
};

const zhCNErrors: Record<ErrorCode, string> = {
  unsupported_format:
    "无法导入此类型的文件。支持：PDF（.pdf）、Word（.docx）、HTML（.html、.htm）、Markdown（.md、.markdown）和纯文本（.txt）。",
  corrupt_document: "此文件已损坏、设有密码保护，或与其扩展名不符。请用相应程序打开并另存一份无保护的副本后再导入。",
  encrypted_document: "此 PDF 设有打开密码。请用密码打开，另存一份无保护的副本后再导入。",
  no_text_layer: "此 PDF 没有可读取的文字：页面是扫描图片，或字体没有字符映射。请先进行 OCR（文字识别），再导入识别结果。",
  import_running: "此导入任务正在另一个 Bedside 窗口或命令行中进行。请等待其完成，或先在那里停止。",
  import_finished: "此导入任务已没有待导入的文件，已经完成。",
  file_too_large: "文件超过 32 MiB 的导入上限。请拆分为较小的文件后再导入。",
  not_text: "此文件包含二进制数据，不是文本。请另存为 Markdown、纯文本或 HTML 后重新导入。",
  empty_document: "此文件中没有找到文本。请确认文件是否正确、内容是否为空。",
  io_error: "无法读取文件。请确认文件仍然存在，并且您有权限打开它。",
  index_error: "检索索引出错。请重试；如果问题持续，请重新启动 Bedside 或联系信息科。",
  invalid_query: "无法理解检索内容。请改用简单的词语，不要使用特殊符号。",
  db_open_failed: "无法打开数据库。请重新启动 Bedside；如果问题持续，请联系信息科。",
  db_too_new: "此数据库由更新版本的 Bedside 创建。请升级 Bedside 后再使用。",
  not_found: "所请求的内容（引用的段落、对话或模型）不存在或已不可用，可能已被删除。请刷新后重试。",
  disk_full: "磁盘已满，未保存任何内容。请释放磁盘空间后重试。",
  db_error: "数据库出错。请重试；如果问题持续，请联系信息科。",
  model_not_found: "找不到模型文件。请检查模型路径，或请信息科安装模型。",
  invalid_gguf: "此文件不是有效的 GGUF 模型。请使用 GGUF 格式的模型文件。",
  model_truncated: "模型文件不完整，可能是复制或下载过程被中断。请重新复制后再导入。",
  unsupported_architecture: "不支持此类型的模型。请使用受支持的 GGUF 对话模型。",
  bad_model_path: "模型路径中含有无法使用的字符。请将模型移到路径更简单的文件夹（仅含英文字母和数字）。",
  model_load_failed: "无法加载模型。文件可能已损坏，或电脑内存不足。请关闭其他程序后重新启动 Bedside，或联系信息科。",
  no_chat_template: "这是基础模型，不能进行对话。请使用该模型的对话（Instruct/Chat）版本。",
  prompt_too_long: "问题加上检索到的段落超出了模型能处理的长度。请提出更简短、更具体的问题。",
  inference_failed: "模型在回答时出错。请重新提问。",
  content_too_large: "该文档展开后的内容超过单个文件的读取上限（PDF 解压后最多 256 MiB），未导入；其他文件已导入。",
  link_outside_folder: "这是指向所选文件夹以外文件的链接，未被读取。如需收录，请将文件复制到该文件夹中。",
  in_data_dir: "这是 Bedside 自身的数据（数据库、密钥、索引或备份），不会被导入。",
  assessment_stale: "此次分级已无法保存：表单已修改、已重新分级或已保存，或时间过久。请先查看候诊列表：若患者不在其中，请重新分级后再保存。",
  not_an_embedding_model: "该模型文件无法比较语义（不是嵌入模型）。搜索仅按词语进行。",
  unembeddable_text: "嵌入模型无法处理这段文字，但仍可按词语检索到它。",
  data_dir_unusable: "无法使用 Bedside 的数据文件夹。请确认该文件夹存在、可以写入且磁盘未满，或联系信息科。",
  empty_question: "请先输入问题。",
  no_model: "尚未加载模型，暂时无法回答问题。请联系信息科安装模型。",
  internal: "Bedside 内部出错。请重试；如果问题持续，请联系信息科。",
  invalid_input: "部分输入的内容无法使用。请检查后重试。",
  not_authenticated: "您尚未登录。请登录后重试。",
  forbidden: "您的角色无权执行此操作。如有需要，请联系管理员。",
  bad_credentials: "用户名或密码错误。",
  account_locked: "登录失败次数过多，此账户已被锁定。请等待几分钟后重试，或请管理员重置密码。",
  try_again_later: "本工作站密码错误次数过多，请稍候再试；账户本身未被锁定。",
  account_disabled: "此账户已被停用。请联系管理员。",
  password_changed: "自您登录以来密码已被更改。请使用新密码重新登录。",
  password_change_required: "您的密码由管理员设置，请先设置您自己的密码。",
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
  already_exists: "该项已存在：已有同名的用户或模型，或内容完全相同的文件（文档或模型）此前已添加。",
  impossible_value: "有数值不可能成立（例如心率 400）。请检查红色标出的项目并更正。",
  invalid_value: "有数值格式不正确或缺失。请检查红色标出的项目。",
  future_time: "该时间晚于现在。请检查红色标出的日期和时间。",
  invalid_intake: "无法读取预检表单。请检查填写内容后重试；如果问题持续，请联系信息科。",
  incomplete_output: "模型的回答被截断，或在完成前已停止。",
  insufficient_memory: "内存不足，无法运行模型。请关闭其他程序，或请信息科更换较小的模型。",
  invalid_grammar: "无法设置模型的输出格式。请联系信息科。",
  checksum_mismatch: "文件的 SHA-256 与预期值不符：文件可能已损坏，或并非发布的那个文件。未保留任何内容。",
  copy_failed: "无法将文件复制到 Bedside 的数据文件夹，未保留任何内容。请确认文件可以读取且磁盘未满。",
  cancelled: "已取消，未保留任何内容。",
  in_use: "仍有任务在使用此模型。请先为该任务选择其他模型，再将其移除。",
  unknown_template: "Bedside 不认识此对话模板。请从列表中选择。",
  remote_config:
    "远程推理引擎的设置无法使用。请检查服务器地址（以 http:// 或 https:// 开头并包含主机名）、模型名称和超时时间（1–600 秒）。",
  remote_insecure:
    "通过明文 http:// 连接其他计算机，问题、患者信息和 API 密钥会在网络上以未加密形式传输。请使用 https:// 地址；如果医院接受此服务器的这一风险，请勾选“允许对此主机使用未加密的 http”。",
  remote_url_credentials: "服务器地址中包含用户名或密码。请将其从地址中删除；API 密钥请填写在单独的字段中。未保存任何内容。",
  remote_unreachable: "无法连接推理服务器。请检查服务器地址和网络连接，或联系信息科。",
  remote_timeout: "推理服务器未在规定时间内响应。请重试；如果问题持续，请延长超时时间或联系信息科。",
  remote_unauthorized: "推理服务器拒绝了 API 密钥。请管理员在“模型”页面检查密钥。",
  remote_rate_limited: "推理服务器繁忙，要求 Bedside 降低请求频率。请稍候再试。",
  remote_unavailable: "推理服务器尚未就绪（可能仍在加载模型）。请一分钟后重试。",
  remote_server_error: "推理服务器出错。请重试；如果问题持续，请联系信息科。",
  remote_refused: "推理服务器拒绝了请求。请管理员检查模型名称和远程推理引擎的设置。",
  remote_bad_stream: "无法读取推理服务器的回复，它可能不兼容 OpenAI 接口。请管理员检查服务器地址。",
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
  embeddingProgress: (done: number, total: number) =>
    `preparing search by meaning: ${done} of ${total} passages`,
  importHeading: "Add documents",
  importHelp: "PDF, Word (.docx), HTML, Markdown and plain text files are supported.",
  chooseFiles: "Choose files…",
  chooseFolder: "Choose folder…",
  importPathLabel: "Or type a file or folder path",
  importPathPlaceholder: "/path/to/guidelines",
  importButton: "Import",
  importing: "Importing…",
  importProgress: (done: number, total: number) => `${done} / ${total}`,
  importCurrent: (path: string) => `Processing ${path}`,
  importCancel: "Cancel",
  importCancelling: "Stopping after the current file…",
  importResuming: (id: number) => `Resuming import #${id}`,
  importPagesDone: (n: number) => (n === 1 ? "1 PDF page imported" : `${n} PDF pages imported`),
  importEta: (seconds: number) => {
    if (seconds < 60) return "less than a minute left";
    const min = Math.round(seconds / 60);
    if (min < 60) return `about ${min} min left`;
    const h = Math.floor(min / 60);
    const m = min % 60;
    return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`;
  },
  importInterrupted: (n: number) =>
    n === 1 ? "An import was interrupted with 1 file left." : `An import was interrupted with ${n} files left.`,
  importInterruptedHelp: "The files imported before it stopped are kept. Resume it to import the rest.",
  summaryHeading: "Import finished",
  summaryCancelledHeading: "Import cancelled",
  importCancelled: (n: number) =>
    n === 1
      ? "The import was cancelled. 1 file was imported before it stopped."
      : `The import was cancelled. ${n} files were imported before it stopped.`,
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
  alsoIn: "Also in",
  summaryReplaced: "New versions",
  importedReplaces: (id: number) => `new version (replaces #${id})`,

  documentsHeading: "Documents",
  documentsRefresh: "Refresh",
  showSuperseded: "Show superseded versions",
  supersededHidden: (n: number) =>
    n === 1 ? "1 superseded version hidden." : `${n} superseded versions hidden.`,
  documentsEmpty: "No documents in the library yet.",
  documentsAllHidden: "Only superseded versions are left. Show superseded versions to see them.",
  colTitle: "Title",
  colFileName: "File name",
  colLanguage: "Language",
  colFormat: "Format",
  colPassages: "Passages",
  colPages: "Pages",
  colVersion: "Version",
  colImportedAt: "Imported",
  versionText: (v: number) => `v${v}`,
  documentCurrent: "Current",
  documentSupersededBy: (id: number) => `Superseded by #${id}`,
  docLangs: { en: "English", zh: "Chinese" } as Record<string, string>,
  docFormats: {
    markdown: "Markdown",
    text: "Plain text",
    html: "HTML",
    docx: "Word (.docx)",
    pdf: "PDF",
  } as Record<string, string>,
  deleteDocument: "Delete",
  deleteDocumentConfirm: (title: string, version: number) => `Delete “${title}” v${version}?`,
  deleteDocumentRestores: (id: number) => `Document #${id}, the version it replaced, becomes current and searchable again.`,
  deleteDocumentYes: "Delete",
  deletingDocument: "Deleting…",
  documentDeleted: (title: string, version: number) => `“${title}” v${version} was deleted.`,
  replaceDocument: "Replace…",
  replaceDocumentHint:
    "Import a new edition of this document from a file, even one with a different name. This version is kept as superseded.",
  replacingDocument: "Replacing…",
  documentReplaced: (title: string, version: number) => `New version imported: “${title}”. It replaces v${version}.`,
  replaceAlreadyReplaced: "This version was already replaced by a newer one. Refresh the list and replace the current version.",
  replaceSameContent: "A document with exactly this content is already in the library, so nothing was imported.",

  jobsHeading: "Import jobs",
  jobsHelp:
    "Recent imports. An interrupted import (window closed, computer shut down) or a cancelled one can be resumed; files already tried are not read again.",
  jobsEmpty: "No imports yet.",
  jobStates: { running: "Running", interrupted: "Interrupted", cancelled: "Cancelled", done: "Done" } as Record<string, string>,
  colJob: "Import",
  colFiles: "Files",
  colStarted: "Started",
  jobStartedBy: (who: string) => `by ${who}`,
  jobResume: "Resume",
  jobResumeLabel: (id: number) => `Resume import #${id}`,
  jobFilesShow: "Show files",
  jobFilesHide: "Hide files",
  jobFilesEmpty: "This import has no files.",
  jobFileStatuses: {
    pending: "Not yet imported",
    imported: "Imported",
    skipped: "Skipped",
    failed: "Failed",
  } as Record<string, string>,
  jobFileDuplicate: "The same content is already in the library.",
  jobPages: (n: number) => (n === 1 ? "1 page" : `${n} pages`),

  // Chat
  chatTitle: "Chat",
  disclaimer:
    "Answers are generated from your library by a local model and can be wrong. Always check the cited sources before acting on them.",
  noModelTitle: "No model loaded",
  noModelHelp: "Asking questions needs a language model. An admin can import a GGUF model on the Models page.",
  emptyConversation: "Ask a question about the documents in your library.",
  questionLabel: "Question",
  answerLabel: "Answer",
  questionPlaceholder: "Type your question…",
  askButton: "Ask",
  stopButton: "Stop",
  askHint: "Ctrl+Enter to ask",
  generating: "Generating…",
  stopped: "Stopped — the answer is incomplete.",
  answerPartial: "Incomplete: the connection to the inference server broke.",
  sourcesHeading: "Sources",
  noSources: "No sources were cited.",
  openCitation: (n: number) => `Open source ${n}`,
  statTokPerS: "tokens/s",
  statTtft: "time to first token",
  statGenerated: "generated tokens",
  statModel: "model",
  formatMs: (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`),
  newConversation: "New conversation",
  conversationsHeading: "Conversations",
  noConversations: "No conversations yet.",
  conversationSummaryNote: "Earlier turns were summarised to fit the model's memory:",

  // Passage viewer
  passageTitle: "Source passage",
  documentLabel: "Document",
  /** Follows the page number; starts with its own space where the language needs one. */
  pageCount: (n: number) => (n === 1 ? " of 1 page" : ` of ${n} pages`),
  pageMarker: (n: number) => `Page ${n}`,
  documentLoading: "Loading the document…",
  documentTextLabel: "Document text, with the cited passage highlighted",
  passageNotLocated: "The passage could not be found in the document's text, so only the passage is shown.",

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
  switchUserHelp:
    "Another user may log in here. The locked session ends only once their password is right; an unsaved intake is kept for its owner's next login.",
  switchBack: "Back to unlock",

  currentUserLabel: "Logged in as",
  lockButton: "Lock",
  logoutButton: "Log out",
  passwordChangeButton: "Change password",
  passwordChangeTitle: "Change your password",
  passwordChangeRequired: (name: string) =>
    `${name}, an admin set your password, so you must choose your own before using Bedside.`,
  passwordChangeHelp: "Enter your current password, then the new one twice.",
  passwordCurrentLabel: "Current password",
  passwordNewLabel: "New password",
  passwordChangeSubmit: "Change password",

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
  headMatches: (id: number, at: string) => `The log still reaches the head written down outside the database (row ${id}, ${at}).`,
  headNotYet: "No head has been written down outside the database yet.",
  headFileMissing: (path: string) =>
    `The record of the log's head outside the database is missing (${path}): it was removed, or the data folder was moved without it.`,
  headRowsMissing: (from: number, to: number, at: string) =>
    `Rows ${from} to ${to} have been cut off the end of the log (the head written down at ${at} reached row ${to}).`,
  headDiffers: (id: number, at: string) =>
    `Row ${id} is not the row written down at ${at}: the log was rewritten or the database replaced other than by a restore.`,
  headUnreadable: (reason: string) => `The record of the log's head cannot be read: ${reason}`,
  headUnwritable: (path: string, reason: string) =>
    `The log's head cannot be written down outside the database (${path}: ${reason}); until it can, rows cut off the end of the log go unnoticed.`,
  recordsOk: (checked: number, unsealed: number) =>
    `${checked - unsealed} clinical ${checked - unsealed === 1 ? "record matches" : "records match"} the audit log` +
    (unsealed > 0 ? ` (${unsealed} stored before records were sealed, not checked).` : "."),
  recordsAltered: (list: string) => `Changed in the database outside Bedside: ${list}.`,
  recordName: (kind: string, id: number) => (kind === "encounter" ? `encounter #${id}` : `${kind} #${id}`),
  auditAlarmTitle: "The audit log failed its check when Bedside started",
  auditAlarmHint: "This has been recorded in the audit log and the system log. Check Admin → Audit and tell your security officer.",
  auditAlarmRecorded: (id: number, at: string) => `Recorded as audit row ${id} at ${at}.`,
  auditAlarmAck: "I have taken this on (acknowledge)",

  settingsHeading: "Settings",
  idleLockLabel: "Lock the screen after this many minutes without use (1–60)",
  idleLockCurrent: (minutes: number) => `Current: ${minutes} min`,
  idleLockInvalid: "Enter a whole number of minutes from 1 to 60.",
  idleLockSaved: "Saved.",
  save: "Save",
  saving: "Saving…",

  // Triage
  navTriage: "Triage",
  navBoard: "Board",
  triageTitle: "Pre-visit triage",
  triageIntro: "Grades are computed from rule tables. The nurse decides; the model only helps.",
  triageHint: "Ctrl+Enter to grade",
  sectionPatient: "Patient",
  sectionArrival: "Arrival",
  sectionComplaint: "Chief complaint",
  sectionVitals: "Vital signs",
  sectionEsi: "ESI questions",
  sectionHistory: "History",
  patientNameLabel: "Name",
  hospitalIdLabel: "Hospital ID",
  ageLabel: "Age",
  birthDateLabel: "Date of birth",
  ageUnitLabel: "Age unit",
  ageUnits: { years: "years", months: "months", days: "days" } as Record<AgeUnit, string>,
  sexLabel: "Sex",
  sexes: { unknown: "Unknown", female: "Female", male: "Male", other: "Other" } as Record<Sex, string>,
  pregnantLabel: "Pregnant",
  arrivedAtLabel: "Arrival time",
  arrivedAtNow: "now (when saved)",
  arrivedAtUseNow: "Use the time of saving",
  arrivalModeLabel: "Arrival mode",
  arrivalModeNone: "Not recorded",
  arrivalModes: {
    "walk-in": "Walk-in",
    ambulance: "Ambulance",
    police: "Police",
    transfer: "Transfer",
    other: "Other",
  } as Record<ArrivalMode, string>,
  complaintLabel: "Chief complaint",
  quickPickLabel: "Add a common complaint",
  quickPicks: {
    chest_pain: "chest pain",
    shortness_of_breath: "shortness of breath",
    abdominal_pain: "abdominal pain",
    fever: "fever",
    headache: "headache",
    injury: "injury / trauma",
    bleeding: "bleeding",
    altered_consciousness: "altered consciousness",
    seizure: "seizure",
    allergic_reaction: "allergic reaction",
  } as Record<QuickPick, string>,
  onsetLabel: "Onset",
  onsetPlaceholder: "e.g. 2 hours ago",
  respRateLabel: "Respiratory rate",
  spo2Label: "SpO₂",
  spo2Scale2Label: "SpO₂ scale 2 (hypercapnic target prescribed)",
  onOxygenLabel: "On supplemental oxygen",
  systolicLabel: "Systolic BP",
  diastolicLabel: "Diastolic BP",
  heartRateLabel: "Heart rate",
  temperatureLabel: "Temperature",
  consciousnessLabel: "Consciousness (ACVPU)",
  consciousnessNone: "Not assessed",
  consciousnessLevels: {
    alert: "A – Alert",
    confusion: "C – New confusion",
    voice: "V – Responds to voice",
    pain: "P – Responds to pain",
    unresponsive: "U – Unresponsive",
  } as Record<Consciousness, string>,
  painLabel: "Pain score",
  unitPerMin: "/min",
  unitPercent: "%",
  unitMmHg: "mmHg",
  unitCelsius: "°C",
  unitPain: "0–10",
  esiLifesavingLabel: "Needs an immediate life-saving intervention (airway, emergency drugs, haemodynamic support)",
  esiHighRiskLabel: "High-risk situation",
  esiConfusionLabel: "New confusion, lethargy or disorientation",
  esiDistressLabel: "Severe pain or distress",
  answerYes: "Yes",
  answerNo: "No",
  answerUnset: "Not assessed",
  fieldAnswerRequired: "Answer yes or no.",
  fieldInfantAge: "For an infant, give the age in days or months, or the birth date.",
  fieldVitalNeeded: "Measure this before a minor level is saved.",
  resourcesHeading: "Expected resources",
  resourcesHelp: "Tick each different type of resource the patient is expected to need here.",
  resources: {
    labs: "Laboratory tests (blood, urine)",
    ecg: "ECG",
    xray: "X-ray",
    imaging: "CT, MRI or ultrasound",
    angiography: "Angiography",
    iv_fluids: "IV fluids (hydration)",
    medication: "IV, IM or nebulised medication",
    consult: "Specialty consultation",
    simple_procedure: "Simple procedure (counts 1, e.g. laceration repair, urinary catheter)",
    complex_procedure: "Complex procedure (counts 2, e.g. procedural sedation)",
  } as Record<ResourceId, string>,
  resourcesNone: "None of these",
  resourcesNotCounted:
    "Not resources: history and examination, point-of-care tests, saline lock, oral medication, tetanus shot, prescription refill, simple wound care, crutches, splint or sling.",
  resourcesCount: (n: number) => `Expected resources: ${n}`,
  resourcesUnanswered: "Not answered yet: the more urgent branch is assumed.",
  allergiesLabel: "Allergies",
  medicationsLabel: "Current medications",
  historyLabel: "Relevant history",
  gradeButton: "Grade",
  grading: "Grading…",
  assistButton: "Grade with model help",
  assisting: "The model is reading the intake… (10–60 s)",
  assistStop: "Stop",
  assistNoModel: "Model help needs a language model, and none is loaded. Grading by the rules works without one.",
  clearButton: "Clear form",
  clearConfirm: "Clear the whole form and discard its draft?",
  clearYes: "Yes, clear",
  draftRestored: "The form was restored from an unsaved draft.",
  draftRestoredAt: (time: string) => `The form was restored from an unsaved draft kept at ${time}.`,
  draftDiscard: "Discard draft",
  draftSaveFailed: "The draft could not be kept.",
  fieldErrorsSummary: "Some values need correcting (marked in red).",
  fieldNotNumber: "Enter a number.",
  fieldNotWhole: "Enter whole months or days.",
  fieldBadDate: "Enter a date.",
  fieldBadTime: "Enter a date and time.",
  fieldFutureTime: "The arrival time can't be in the future.",
  fieldImpossible: "This value is not possible. Check it and correct it.",
  fieldDiastolicHigh: "Must be lower than the systolic pressure.",
  fieldInvalid: "This value can't be used.",
  fieldTooLong: "This text is too long.",
  reasonRequired: "Give the reason for choosing a different level.",
  reasonTooLong: "At most 500 characters.",
  resultHeading: "Grades",
  resultStale: "The form has changed since it was graded. Grade again before saving.",
  provisionalHeading: "Provisional grade",
  provisionalText: (list: string) =>
    `Not answered yet: ${list}. Answer and grade again: a provisional grade can't be saved.`,
  unansweredLabels: {
    "esi.lifesaving_intervention": "A – needs an immediate life-saving intervention",
    "esi.high_risk": "B – high-risk situation",
    "esi.new_confusion": "B – new confusion, lethargy or disorientation",
    "esi.severe_pain_or_distress": "B – severe pain or distress",
    "esi.expected_resources": "C – expected resources",
    "patient.age_days": "the infant's exact age (days, months or birth date, not 0 years)",
    "vitals.heart_rate": "heart rate (needed before a minor level is saved)",
    "vitals.resp_rate": "respiratory rate (needed before a minor level is saved)",
    "vitals.spo2": "SpO2 (needed before a minor level is saved)",
    "vitals.temperature_c": "temperature (needed for an infant under 3 months)",
  } as Record<string, string>,
  algorithmLevel: (level: string) => `algorithm: ${level}`,
  floorHeading: "Safety floor",
  floorHelp: "Bedside raises the level to at least the level these findings call for, whatever the algorithm gave:",
  floorUnverified: "not yet verified",
  floorSource: (source: string) => `Source: ${source}`,
  news2NotValidated: (who: string) =>
    `NEWS2 is not validated for children under 16 or in pregnancy (this patient: ${who}). Use the score with clinical judgement.`,
  news2NotValidatedReasons: { under_16: "under 16", pregnancy: "pregnant" } as Record<string, string>,
  considerHeading: "Consider a more urgent level (the grade is not changed)",
  ageUsed: (age: string) => `Age used by the rules: ${age}`,
  cnHeading: "Emergency triage grade (China)",
  seenWithin: (n: number) => (n === 0 ? "Seen immediately" : `Seen within ${n} min`),
  rulePathHeading: "Rules that fired",
  esiHeading: "ESI (Emergency Severity Index)",
  esiLevelText: (n: number) => `ESI ${n}`,
  dangerZoneHeading: "Danger-zone vital signs",
  news2Heading: "NEWS2",
  news2ScoreText: (score: number, complete: boolean) => `${complete ? "" : "≥ "}${score}`,
  news2Risks: { low: "Low risk", "low-medium": "Low–medium risk", medium: "Medium risk", high: "High risk" } as Record<News2Risk, string>,
  news2Params: {
    resp_rate: "Respiratory rate",
    spo2: "SpO₂",
    air_or_oxygen: "Air or oxygen",
    systolic_bp: "Systolic BP",
    heart_rate: "Heart rate",
    consciousness: "Consciousness",
    temperature: "Temperature",
  } as Record<string, string>,
  news2ScaleText: (n: number) => `SpO₂ scale ${n}`,
  colParameter: "Parameter",
  colValue: "Value",
  colPoints: "Points",
  colRule: "Rule",
  news2Missing: (list: string) =>
    `Incomplete: ${list} not measured, so the score may be higher. This is not a reason to delay triage.`,
  unverifiedHeading: "Rule not yet verified against the primary document",
  warningsHeading: "Unusual values",
  warningText: (label: string, value: string) => `${label}${value ? ` ${value}` : ""} is unusual: re-check the measurement.`,
  confirmValues: "I have re-checked these values",
  assistHeading: "Model help",
  assistDisclaimer: "Written by the local model; it can be wrong. The computed grades stand.",
  assistSummary: "Summary",
  assistDepartment: "Suggested department",
  departments: {
    emergency: "Emergency",
    internal_medicine: "Internal medicine",
    surgery: "Surgery",
    cardiology: "Cardiology",
    respiratory: "Respiratory medicine",
    neurology: "Neurology",
    paediatrics: "Paediatrics",
    obstetrics_gynaecology: "Obstetrics and gynaecology",
    orthopaedics: "Orthopaedics",
    ophthalmology: "Ophthalmology",
    ent: "ENT",
    dermatology: "Dermatology",
    psychiatry: "Psychiatry",
    general_practice: "General practice",
  } as Record<string, string>,
  assistQuestions: "Questions to ask",
  assistRedFlags: "Red flags",
  modelRaised: (level: string, reason: string) =>
    `Model suggests a more urgent level: ${level}${reason ? ` because ${reason}` : ""}`,
  assistFailed: "The model could not help. The computed grades stand.",
  assistStopped: "Stopped: the model's help is incomplete. The computed grades stand.",
  decisionHeading: "Decision",
  suggestedLabel: "Suggested",
  confirmButton: "Confirm and save",
  overrideButton: "Choose a different level…",
  finalCnLabel: "Final grade",
  finalEsiLabel: "Final ESI level",
  overrideReasonLabel: "Reason for the change (required)",
  saveOverride: "Save with this level",
  confirmValuesFirst: "Tick “I have re-checked these values” first.",
  answerFirst: "Answer questions A and B (yes or no) and grade again before saving.",
  downgradeWarning: "This is a downgrade below the computed level. The reason will be recorded.",
  savingTriage: "Saving…",
  savedText: (level: string, minutes: number) =>
    `Saved: ${level}, ${minutes === 0 ? "to be seen immediately" : `to be seen within ${minutes} min`}.`,
  savedAccepted: "The suggested level was accepted.",
  savedOverridden: "The suggested level was overridden.",
  savedDowngraded: "The level was downgraded below the computed level; the reason was recorded.",
  goBoard: "Open the board",

  // Board
  boardTitle: "Triage board",
  boardRefresh: "Refresh",
  boardEmpty: "No patients are waiting.",
  boardUpdated: (time: string) => `Updated ${time}`,
  unknownPatient: "Unknown patient",
  ageYearsShort: (n: number) => `${n} y`,
  ageMonthsShort: (n: number) => `${n} mo`,
  ageDaysShort: (n: number) => `${n} d`,
  ageUnderOneYear: "< 1 y",
  colLevel: "Level",
  colPatient: "Patient",
  colHospitalId: "Hospital ID",
  colComplaint: "Complaint",
  colEsi: "ESI",
  colNews2: "NEWS2",
  colArrived: "Arrived",
  colWaiting: "Waiting since triage",
  colTriagedBy: "Triaged by",
  waitingText: (waited: number, target: number) =>
    target === 0 ? `${waited} min / target: immediately` : `${waited} min / target ${target} min`,
  retriageDue: "Re-triage now",
  overriddenMark: "Overridden",
  downgradedMark: "Downgraded",
  callIn: "Call in",
  callingIn: "Calling in…",
  openEncounter: (name: string) => `Open the encounter of ${name}`,

  // Encounter
  encounterTitle: "Encounter",
  levelsHeading: "Levels",
  colComputed: "Computed",
  colSuggested: "Suggested",
  colFinal: "Final",
  cnShort: "Grade (China)",
  overrideReasonHeading: "Override reason",
  observationsHeading: "Vital signs",
  colCode: "Code",
  colUnit: "Unit",
  colRecorded: "Recorded",
  observationNames: {
    "9279-1": "Respiratory rate",
    "59408-5": "SpO₂ (pulse oximetry)",
    "8867-4": "Heart rate",
    "8480-6": "Systolic blood pressure",
    "8462-4": "Diastolic blood pressure",
    "8310-5": "Body temperature",
    "72514-3": "Pain score (0–10)",
    acvpu: "Level of consciousness",
    "on-oxygen": "On supplemental oxygen",
  } as Record<string, string>,
  unitOutOfTen: "/10",
  noObservations: "No vital signs were recorded.",
  triagedByAt: (who: string, when: string) => `Triaged by ${who} at ${when}`,
  statusLabel: "Status",
  statuses: { triaged: "Waiting", "in-progress": "Called in", finished: "Finished" } as Record<string, string>,
  arrivalLabel: "Arrival",
  yes: "Yes",
  no: "No",

  // Admin: triage rules
  triageRulesHeading: "Triage rules",
  triageRulesHelp:
    "These rows of the triage rule tables are not yet verified against their primary documents. Grades that use them are marked on the triage page.",
  triageRulesEmpty: "Every rule row is verified.",
  colTable: "Table",
  colRow: "Row",
  colSource: "Source",
  ruleTables: { news2: "NEWS2", esi: "ESI", cn: "Grade (China)", floor: "Safety floor" } as Record<string, string>,
  cnLevelNames: {
    1: "Level I - resuscitation (dying)",
    2: "Level II - critical",
    3: "Level III - urgent",
    4: "Level IV - non-urgent",
  } as Record<number, string>,

  // Admin: models
  navModels: "Models",
  modelsTitle: "Models",
  modelsIntro: "Import GGUF models, choose the model and sampling for each task, and set up the engine.",
  modelsRefresh: "Refresh",
  changesSaved: "Saved.",
  tokensText: (n: number) => (n === 1 ? "1 token" : `${n} tokens`),
  mibText: (mib: string) => `${mib} MiB`,
  noneDash: "—",

  engineHeading: "Engine in use",
  engineNone: "No engine is loaded. It loads at the next question, or now with Load now.",
  engineLoadingBackground: "Loading the model in the background…",
  engineNameLabel: "Model",
  engineKindLabel: "Runs",
  engineKinds: { local: "Locally, on this computer", remote: "On the remote server" } as Record<string, string>,
  engineTemplateLabel: "Chat template",
  engineThreadsLabel: "Threads",
  engineContextLabel: "Context",
  engineArchitectureLabel: "Architecture",
  engineLoad: "Load now",
  engineLoading: "Loading…",
  engineUnload: "Unload",
  engineUnloading: "Unloading…",
  engineUnloaded: "The engine was unloaded. Its memory stays free until the next question.",
  templateOwn: "the file's own",
  templateNone: "none",

  modelImportHeading: "Import a model",
  modelImportHelp:
    "The GGUF file is copied into Bedside's data folder and checked; the original stays where it is. Large files take a few minutes.",
  modelChooseFile: "Choose file…",
  modelImportPathLabel: "GGUF file",
  modelImportPathPlaceholder: "/path/to/model.gguf",
  modelImportNameLabel: "Name (optional)",
  modelImportNamePlaceholder: "Taken from the file when empty",
  modelImportShaLabel: "Expected SHA-256 (optional)",
  modelImportShaPlaceholder: "As published with the model",
  modelImportShaInvalid: "The SHA-256 must be 64 hexadecimal characters (0–9, a–f).",
  modelImportStart: "Import",
  modelImporting: "Importing…",
  modelImportCancel: "Cancel",
  modelImportCancelling: "Cancelling…",
  modelImportProgress: (percent: number, copied: string, total: string) => `${percent}% · ${copied} / ${total} MiB`,
  modelImportStarting: "Starting…",
  modelImportChecking: "Copied. Checking the file…",
  modelImportDone: (name: string, size: string) => `Imported “${name}” (${size} MiB). Choose it for a task below.`,
  modelImportCancelled: "The import was cancelled. Nothing was kept.",

  modelsHeading: "Imported models",
  modelsEmpty: "No models have been imported yet. Every task uses the built-in default.",
  colModelName: "Name",
  colModelType: "Architecture",
  colSize: "Size",
  colParameters: "Params",
  colContext: "Context",
  colLanguages: "Languages",
  colTemplate: "Chat template",
  colMemory: "RAM estimate",
  colUsedBy: "Used by",
  colSha256: "SHA-256",
  memoryEstimate: (mib: string, nCtx: number) => `${mib} MiB at ${nCtx} tokens`,
  memoryBreakdown: (weights: string, kv: string) => `Weights ${weights} MiB + KV cache ${kv} MiB + margin`,
  templateOwnShort: "own",
  templateSelectLabel: (name: string) => `Chat template for ${name}`,
  templateSaved: (name: string) => `The chat template of “${name}” was saved.`,
  modelFileMissing: "File missing",
  modelFileMissingTitle: (path: string) => `Not found with its recorded size: ${path}`,
  renameModel: "Rename",
  renameModelLabel: (name: string) => `New name for ${name}`,
  modelNameRequired: "Enter a name.",
  modelRenamed: (name: string) => `Renamed to “${name}”.`,
  removeModel: "Remove",
  removeModelConfirm: (name: string) =>
    `Remove “${name}”? Its copy in Bedside's data folder is deleted; the original file is not touched.`,
  removeModelInUse: (tasks: string) => `Still used for: ${tasks}.`,
  removeModelYes: "Remove",
  removingModel: "Removing…",
  modelRemoved: (name: string) => `“${name}” was removed.`,

  taskDefaultsHeading: "Task defaults",
  taskDefaultsHelp:
    "Each task has its own model and sampling. Changes take effect at the next request. While the remote engine is enabled, it answers every task instead.",
  taskNames: { chat: "Chat", drafting: "Note drafting", triage_summary: "Triage summary" } as Record<TaskName, string>,
  taskModelLabel: "Model",
  builtInDefault: "Built-in default",
  modelOptionMissing: (name: string) => `${name} (file missing)`,
  taskModelSaved: (task: string) => `The model for ${task} was saved.`,
  samplingTemperature: "Temperature (0–2)",
  samplingTopP: "Top-p (0–1)",
  samplingSeed: "Seed",
  samplingMaxTokens: "Max tokens (1–8192)",
  samplingRepeatPenalty: "Repeat penalty (1–2)",
  samplingInvalid:
    "Check the values: temperature 0–2, top-p above 0 and at most 1, seed a whole number from 0, max tokens a whole number from 1 to 8192, repeat penalty 1–2.",

  keepHeading: "Free memory when unused",
  keepLabel: (max: number) => `Minutes an unused model stays in memory (0 keeps it; up to ${max})`,
  keepHint: "A clinician's or admin's login loads the chat's model in the background; a nurse's loads it at the first question. Unused this long, it is freed again.",
  keepInvalid: (max: number) => `Enter a whole number from 0 to ${max}.`,
  keepCurrent: (n: number) => (n === 0 ? "Current: kept until unloaded" : `Current: ${n} minutes`),
  threadsHeading: "Threads",
  threadsLabel: (max: number) => `Threads for the local model (1–${max})`,
  threadsHint: "On a 2-core workstation, 1 thread keeps the window and imports responsive.",
  threadsInvalid: (max: number) => `Enter a whole number from 1 to ${max}.`,
  threadsCurrent: (n: number, max: number) => `Current: ${n} of ${max}`,

  remoteHeading: "Remote engine",
  remoteHelp:
    "An OpenAI-compatible inference server on the hospital network (for example vLLM or llama.cpp server) can answer instead of the local model.",
  remoteWarning:
    "When the remote engine is enabled, questions, the library passages found for them and patient text (such as triage intakes) are sent to that server. Enable it only for a server the hospital runs and trusts.",
  remoteStateOn: "Enabled: answers come from the remote server.",
  remoteStateOff: "Disabled: nothing is sent out.",
  remoteEnabled: "Use the remote engine",
  remoteUrl: "Base URL",
  remoteUrlPlaceholder: "https://10.0.0.5:8000/v1",
  remoteModel: "Model name on the server",
  remoteKey: "API key",
  remoteKeyStoredPlaceholder: "A key is stored; leave empty to keep it",
  remoteKeyNonePlaceholder: "No key stored (optional)",
  remoteKeySet: "An API key is stored.",
  remoteKeyNotSet: "No API key is stored.",
  remoteKeyRemove: "Remove key",
  remoteKeyRemoved: "The API key was removed.",
  remoteKeyOtherServer:
    "This address is another server: the stored API key is not sent to it. Enter the key for this server, or leave the field empty to use none (saving removes the stored key).",
  remoteAllowHttp: "Allow unencrypted http to this host",
  remoteAllowHttpHint:
    "This address is plain http:// to another computer: questions, patient text and the API key would cross the network unencrypted. Prefer https://. Allowing it is recorded in the audit log.",
  remoteTest: "Test connection",
  remoteTesting: "Testing…",
  remoteTestOk: (ms: number, models: string) =>
    `The server answered in ${ms} ms. It serves: ${models === "" ? "(no models listed)" : models}.`,
  remoteTimeout: "Timeout (1–600)",
  unitSeconds: "s",
  remoteUrlRequired: "Enter the base URL and the model name to enable the remote engine.",
  remoteTimeoutInvalid: "Enter a whole number of seconds from 1 to 600.",
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
  embeddingProgress: (done: number, total: number) => `正在建立语义检索：${done} / ${total} 个段落`,
  importHeading: "添加文档",
  importHelp: "支持 PDF、Word（.docx）、HTML、Markdown 和纯文本文件。",
  chooseFiles: "选择文件…",
  chooseFolder: "选择文件夹…",
  importPathLabel: "或输入文件或文件夹路径",
  importPathPlaceholder: "/path/to/guidelines",
  importButton: "导入",
  importing: "正在导入…",
  importProgress: (done: number, total: number) => `${done} / ${total}`,
  importCurrent: (path: string) => `正在处理 ${path}`,
  importCancel: "取消",
  importCancelling: "处理完当前文件后停止…",
  importResuming: (id: number) => `正在继续导入任务 #${id}`,
  importPagesDone: (n: number) => `已导入 PDF ${n} 页`,
  importEta: (seconds: number) => {
    if (seconds < 60) return "预计剩余不到 1 分钟";
    const min = Math.round(seconds / 60);
    if (min < 60) return `预计剩余约 ${min} 分钟`;
    const h = Math.floor(min / 60);
    const m = min % 60;
    return m === 0 ? `预计剩余约 ${h} 小时` : `预计剩余约 ${h} 小时 ${m} 分钟`;
  },
  importInterrupted: (n: number) => `有一项导入被中断，还剩 ${n} 个文件未导入。`,
  importInterruptedHelp: "中断前已导入的文件均已保留。点击“继续导入”可导入其余文件。",
  summaryHeading: "导入完成",
  summaryCancelledHeading: "导入已取消",
  importCancelled: (n: number) => `导入已取消。停止前已导入 ${n} 个文件。`,
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
  alsoIn: "同见于",
  summaryReplaced: "新版本",
  importedReplaces: (id: number) => `新版本（替换 #${id}）`,

  documentsHeading: "文档",
  documentsRefresh: "刷新",
  showSuperseded: "显示已被替换的版本",
  supersededHidden: (n: number) => `已隐藏 ${n} 个被替换的版本。`,
  documentsEmpty: "文献库中还没有文档。",
  documentsAllHidden: "只剩已被替换的版本。勾选“显示已被替换的版本”即可查看。",
  colTitle: "标题",
  colFileName: "文件名",
  colLanguage: "语言",
  colFormat: "格式",
  colPassages: "段落数",
  colPages: "页数",
  colVersion: "版本",
  colImportedAt: "导入时间",
  versionText: (v: number) => `v${v}`,
  documentCurrent: "当前版本",
  documentSupersededBy: (id: number) => `已被 #${id} 替换`,
  docLangs: { en: "英文", zh: "中文" },
  docFormats: { markdown: "Markdown", text: "纯文本", html: "HTML", docx: "Word（.docx）", pdf: "PDF" },
  deleteDocument: "删除",
  deleteDocumentConfirm: (title: string, version: number) => `删除“${title}” v${version}？`,
  deleteDocumentRestores: (id: number) => `被它替换的版本 #${id} 将恢复为当前版本并可再次检索。`,
  deleteDocumentYes: "删除",
  deletingDocument: "正在删除…",
  documentDeleted: (title: string, version: number) => `已删除“${title}” v${version}。`,
  replaceDocument: "替换为新版本…",
  replaceDocumentHint: "从文件导入本文档的新版本，文件名不同也可以。当前版本会保留，标记为已替换。",
  replacingDocument: "正在替换…",
  documentReplaced: (title: string, version: number) => `已导入新版本：“${title}”，替换 v${version}。`,
  replaceAlreadyReplaced: "该版本已被更新的版本替换。请刷新列表，对当前版本执行替换。",
  replaceSameContent: "文库中已有内容完全相同的文档，未导入任何内容。",

  jobsHeading: "导入任务",
  jobsHelp: "最近的导入任务。被中断（窗口关闭、电脑关机）或已取消的导入可以继续，已处理过的文件不会重复读取。",
  jobsEmpty: "暂无导入任务。",
  jobStates: { running: "进行中", interrupted: "已中断", cancelled: "已取消", done: "已完成" },
  colJob: "任务",
  colFiles: "文件",
  colStarted: "开始时间",
  jobStartedBy: (who: string) => `发起人：${who}`,
  jobResume: "继续导入",
  jobResumeLabel: (id: number) => `继续导入任务 #${id}`,
  jobFilesShow: "显示文件",
  jobFilesHide: "隐藏文件",
  jobFilesEmpty: "此导入任务没有文件。",
  jobFileStatuses: { pending: "待导入", imported: "已导入", skipped: "已跳过", failed: "失败" },
  jobFileDuplicate: "文献库中已有相同内容。",
  jobPages: (n: number) => `${n} 页`,

  chatTitle: "问答",
  disclaimer: "回答由本地模型根据您的文献库生成，可能有误。采取任何措施前，请务必核对所引用的来源。",
  noModelTitle: "未加载模型",
  noModelHelp: "提问需要语言模型。管理员可在“模型”页面导入 GGUF 模型。",
  emptyConversation: "请就文献库中的文档提出问题。",
  questionLabel: "问题",
  answerLabel: "回答",
  questionPlaceholder: "输入您的问题…",
  askButton: "提问",
  stopButton: "停止",
  askHint: "按 Ctrl+Enter 提问",
  generating: "正在生成…",
  stopped: "已停止——回答不完整。",
  answerPartial: "回答不完整：与推理服务器的连接中断。",
  sourcesHeading: "来源",
  noSources: "未引用任何来源。",
  openCitation: (n: number) => `打开来源 ${n}`,
  statTokPerS: "词元/秒",
  statTtft: "首词元时间",
  statGenerated: "生成词元数",
  statModel: "模型",
  formatMs: (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} 秒` : `${Math.round(ms)} 毫秒`),
  newConversation: "新对话",
  conversationsHeading: "对话记录",
  noConversations: "暂无对话。",
  conversationSummaryNote: "为适应模型的上下文，较早的对话已被概括：",

  passageTitle: "来源段落",
  documentLabel: "文档",
  pageCount: (n: number) => `（共 ${n} 页）`,
  pageMarker: (n: number) => `第 ${n} 页`,
  documentLoading: "正在加载文档…",
  documentTextLabel: "文档全文（引用的段落已高亮）",
  passageNotLocated: "未能在文档全文中定位该段落，因此仅显示该段落。",

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
  switchUserHelp: "其他用户可在此登录。只有在其密码正确后，当前锁定的会话才会结束；未保存的预检表会保留，原用户下次登录时可继续。",
  switchBack: "返回解锁",

  currentUserLabel: "当前用户",
  lockButton: "锁定",
  logoutButton: "退出登录",
  passwordChangeButton: "修改密码",
  passwordChangeTitle: "修改密码",
  passwordChangeRequired: (name: string) => `${name}，您的密码由管理员设置，使用 Bedside 前请先设置您自己的密码。`,
  passwordChangeHelp: "请输入当前密码，再输入两次新密码。",
  passwordCurrentLabel: "当前密码",
  passwordNewLabel: "新密码",
  passwordChangeSubmit: "修改密码",

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
  headMatches: (id: number, at: string) => `日志仍到达数据库之外记下的末行（第 ${id} 行，${at}）。`,
  headNotYet: "尚未在数据库之外记下日志末行。",
  headFileMissing: (path: string) => `数据库之外的日志末行记录不见了（${path}）：它被删除了，或数据文件夹被移动时没有带上它。`,
  headRowsMissing: (from: number, to: number, at: string) =>
    `日志末尾的第 ${from} 至 ${to} 行已被删去（${at} 记下的末行为第 ${to} 行）。`,
  headDiffers: (id: number, at: string) => `第 ${id} 行与 ${at} 记下的不同：日志被改写，或数据库未经恢复操作被替换。`,
  headUnreadable: (reason: string) => `无法读取日志末行记录：${reason}`,
  headUnwritable: (path: string, reason: string) =>
    `无法在数据库之外记下日志末行（${path}：${reason}）；在此之前，日志末尾被删去的行将无法发现。`,
  recordsOk: (checked: number, unsealed: number) =>
    `${checked - unsealed} 条临床记录与审计日志一致` + (unsealed > 0 ? `（${unsealed} 条存于封存功能之前，未校验）。` : "。"),
  recordsAltered: (list: string) => `以下记录在 Bedside 之外被改动：${list}。`,
  recordName: (kind: string, id: number) => (kind === "encounter" ? `就诊 #${id}` : `${kind} #${id}`),
  auditAlarmTitle: "Bedside 启动时审计日志未通过校验",
  auditAlarmHint: "此事已记入审计日志和系统日志。请在“管理 → 审计”中查看，并告知安全负责人。",
  auditAlarmRecorded: (id: number, at: string) => `已记为审计日志第 ${id} 行（${at}）。`,
  auditAlarmAck: "我已知悉并跟进（确认）",

  settingsHeading: "设置",
  idleLockLabel: "无人操作多少分钟后锁定屏幕（1–60）",
  idleLockCurrent: (minutes: number) => `当前：${minutes} 分钟`,
  idleLockInvalid: "请输入 1 到 60 之间的整数分钟数。",
  idleLockSaved: "已保存。",
  save: "保存",
  saving: "正在保存…",

  navTriage: "预检分诊",
  navBoard: "候诊看板",
  triageTitle: "预检分诊",
  triageIntro: "分级由规则表计算得出。由护士作出决定，模型只提供辅助。",
  triageHint: "按 Ctrl+Enter 分级",
  sectionPatient: "患者",
  sectionArrival: "到院",
  sectionComplaint: "主诉",
  sectionVitals: "生命体征",
  sectionEsi: "ESI 问题",
  sectionHistory: "病史",
  patientNameLabel: "姓名",
  hospitalIdLabel: "病历号",
  ageLabel: "年龄",
  birthDateLabel: "出生日期",
  ageUnitLabel: "年龄单位",
  ageUnits: { years: "岁", months: "个月", days: "天" },
  sexLabel: "性别",
  sexes: { unknown: "未知", female: "女", male: "男", other: "其他" },
  pregnantLabel: "妊娠",
  arrivedAtLabel: "到院时间",
  arrivedAtNow: "现在（保存时）",
  arrivedAtUseNow: "改用保存时的时间",
  arrivalModeLabel: "到院方式",
  arrivalModeNone: "未记录",
  arrivalModes: {
    "walk-in": "自行来院",
    ambulance: "救护车",
    police: "警方送达",
    transfer: "外院转入",
    other: "其他",
  },
  complaintLabel: "主诉",
  quickPickLabel: "添加常见主诉",
  quickPicks: {
    chest_pain: "胸痛",
    shortness_of_breath: "呼吸困难",
    abdominal_pain: "腹痛",
    fever: "发热",
    headache: "头痛",
    injury: "外伤",
    bleeding: "出血",
    altered_consciousness: "意识改变",
    seizure: "抽搐",
    allergic_reaction: "过敏反应",
  },
  onsetLabel: "起病时间",
  onsetPlaceholder: "例如：2 小时前",
  respRateLabel: "呼吸频率",
  spo2Label: "血氧饱和度 SpO₂",
  spo2Scale2Label: "SpO₂ 第 2 量表（已有高碳酸血症目标医嘱）",
  onOxygenLabel: "正在吸氧",
  systolicLabel: "收缩压",
  diastolicLabel: "舒张压",
  heartRateLabel: "心率",
  temperatureLabel: "体温",
  consciousnessLabel: "意识（ACVPU）",
  consciousnessNone: "未评估",
  consciousnessLevels: {
    alert: "A – 清醒",
    confusion: "C – 新发意识模糊",
    voice: "V – 对声音有反应",
    pain: "P – 对疼痛有反应",
    unresponsive: "U – 无反应",
  },
  painLabel: "疼痛评分",
  unitPerMin: "次/分",
  unitPercent: "%",
  unitMmHg: "mmHg",
  unitCelsius: "°C",
  unitPain: "0–10",
  esiLifesavingLabel: "需要立即实施抢救措施（气道、急救药物、血流动力学支持）",
  esiHighRiskLabel: "高危情况",
  esiConfusionLabel: "新发意识模糊、嗜睡或定向障碍",
  esiDistressLabel: "剧烈疼痛或极度痛苦",
  answerYes: "是",
  answerNo: "否",
  answerUnset: "未评估",
  fieldAnswerRequired: "请选择“是”或“否”。",
  fieldInfantAge: "婴儿请填写天数或月龄，或出生日期。",
  fieldVitalNeeded: "保存非急症级别前请先测量此项。",
  resourcesHeading: "预计所需资源",
  resourcesHelp: "勾选患者在急诊预计需要的每一类资源。",
  resources: {
    labs: "实验室检查（血、尿）",
    ecg: "心电图",
    xray: "X 线",
    imaging: "CT、磁共振或超声",
    angiography: "血管造影",
    iv_fluids: "静脉补液",
    medication: "静脉、肌注或雾化用药",
    consult: "专科会诊",
    simple_procedure: "简单操作（计 1 项，如清创缝合、导尿）",
    complex_procedure: "复杂操作（计 2 项，如操作镇静）",
  },
  resourcesNone: "以上均不需要",
  resourcesNotCounted:
    "不计为资源：病史采集和体格检查、床旁快速检测、留置针封管、口服药物、破伤风针、续开处方、简单伤口处理、拐杖、夹板或吊带。",
  resourcesCount: (n: number) => `预计资源：${n} 项`,
  resourcesUnanswered: "尚未填写：按较紧急的分支处理。",
  allergiesLabel: "过敏史",
  medicationsLabel: "目前用药",
  historyLabel: "相关病史",
  gradeButton: "分级",
  grading: "正在分级…",
  assistButton: "分级并请模型辅助",
  assisting: "模型正在阅读预检信息…（10–60 秒）",
  assistStop: "停止",
  assistNoModel: "模型辅助需要语言模型，目前未加载。按规则分级不需要模型。",
  clearButton: "清空表单",
  clearConfirm: "清空整个表单并丢弃草稿？",
  clearYes: "确认清空",
  draftRestored: "已从未保存的草稿恢复表单。",
  draftRestoredAt: (time: string) => `已从 ${time} 保存的未提交草稿恢复表单。`,
  draftDiscard: "丢弃草稿",
  draftSaveFailed: "草稿未能保存。",
  fieldErrorsSummary: "部分数值需要更正（已用红色标出）。",
  fieldNotNumber: "请输入数字。",
  fieldNotWhole: "月龄或天数请填整数。",
  fieldBadDate: "请输入日期。",
  fieldBadTime: "请输入日期和时间。",
  fieldFutureTime: "到院时间不能晚于现在。",
  fieldImpossible: "此数值不可能成立，请检查并更正。",
  fieldDiastolicHigh: "舒张压必须低于收缩压。",
  fieldInvalid: "此数值无法使用。",
  fieldTooLong: "文字过长。",
  reasonRequired: "请填写选择其他级别的理由。",
  reasonTooLong: "最多 500 个字符。",
  resultHeading: "分级结果",
  resultStale: "分级后表单已有改动。保存前请重新分级。",
  provisionalHeading: "暂定分级",
  provisionalText: (list: string) => `以下内容尚未填写：${list}。填写后重新分级；暂定分级不能保存。`,
  unansweredLabels: {
    "esi.lifesaving_intervention": "A – 需要立即实施抢救措施",
    "esi.high_risk": "B – 高危情况",
    "esi.new_confusion": "B – 新发意识模糊、嗜睡或定向障碍",
    "esi.severe_pain_or_distress": "B – 剧烈疼痛或极度痛苦",
    "esi.expected_resources": "C – 预计所需资源",
    "patient.age_days": "婴儿的确切年龄（天数、月龄或出生日期，而非 0 岁）",
    "vitals.heart_rate": "心率（保存非急症级别前须测量）",
    "vitals.resp_rate": "呼吸频率（保存非急症级别前须测量）",
    "vitals.spo2": "SpO2（保存非急症级别前须测量）",
    "vitals.temperature_c": "体温（3 个月以下婴儿须测量）",
  },
  algorithmLevel: (level: string) => `算法结果：${level}`,
  floorHeading: "安全底线",
  floorHelp: "无论算法结果如何，出现以下情况时 Bedside 至少按其对应级别分诊：",
  floorUnverified: "尚未核对",
  floorSource: (source: string) => `来源：${source}`,
  news2NotValidated: (who: string) => `NEWS2 对 16 岁以下儿童及孕妇未经验证（本患者：${who}）。请结合临床判断使用该评分。`,
  news2NotValidatedReasons: { under_16: "未满 16 岁", pregnancy: "妊娠" },
  considerHeading: "可考虑提高级别（不改变分级结果）",
  ageUsed: (age: string) => `规则采用的年龄：${age}`,
  cnHeading: "急诊预检分级（国内标准）",
  seenWithin: (n: number) => (n === 0 ? "立即就诊" : `${n} 分钟内就诊`),
  rulePathHeading: "触发的规则",
  esiHeading: "ESI（急诊严重程度指数）",
  esiLevelText: (n: number) => `ESI ${n} 级`,
  dangerZoneHeading: "危险区生命体征",
  news2Heading: "NEWS2",
  news2ScoreText: (score: number, complete: boolean) => `${complete ? "" : "≥ "}${score}`,
  news2Risks: { low: "低风险", "low-medium": "低-中风险", medium: "中风险", high: "高风险" },
  news2Params: {
    resp_rate: "呼吸频率",
    spo2: "SpO₂",
    air_or_oxygen: "空气或吸氧",
    systolic_bp: "收缩压",
    heart_rate: "心率",
    consciousness: "意识",
    temperature: "体温",
  },
  news2ScaleText: (n: number) => `SpO₂ 第 ${n} 量表`,
  colParameter: "参数",
  colValue: "数值",
  colPoints: "分值",
  colRule: "规则",
  news2Missing: (list: string) => `评分不完整：未测量${list}，实际分值可能更高。这不是延迟分诊的理由。`,
  unverifiedHeading: "规则尚未与原始文件核对",
  warningsHeading: "异常数值",
  warningText: (label: string, value: string) => `${label}${value ? ` ${value}` : ""}数值异常：请重新核实测量结果。`,
  confirmValues: "我已重新核实这些数值",
  assistHeading: "模型辅助",
  assistDisclaimer: "由本地模型生成，可能有误。以计算得出的分级为准。",
  assistSummary: "摘要",
  assistDepartment: "建议科室",
  departments: {
    emergency: "急诊科",
    internal_medicine: "内科",
    surgery: "外科",
    cardiology: "心内科",
    respiratory: "呼吸科",
    neurology: "神经内科",
    paediatrics: "儿科",
    obstetrics_gynaecology: "妇产科",
    orthopaedics: "骨科",
    ophthalmology: "眼科",
    ent: "耳鼻喉科",
    dermatology: "皮肤科",
    psychiatry: "精神科",
    general_practice: "全科",
  },
  assistQuestions: "建议询问的问题",
  assistRedFlags: "危险信号",
  modelRaised: (level: string, reason: string) => `模型建议提高紧急程度：${level}${reason ? `，理由：${reason}` : ""}`,
  assistFailed: "模型未能提供辅助。以计算得出的分级为准。",
  assistStopped: "已停止：模型辅助不完整。以计算得出的分级为准。",
  decisionHeading: "分诊决定",
  suggestedLabel: "建议级别",
  confirmButton: "确认并保存",
  overrideButton: "选择其他级别…",
  finalCnLabel: "最终分级",
  finalEsiLabel: "最终 ESI 级别",
  overrideReasonLabel: "更改理由（必填）",
  saveOverride: "按此级别保存",
  confirmValuesFirst: "请先勾选“我已重新核实这些数值”。",
  answerFirst: "请先回答 A、B 问题（是或否）并重新分级，然后再保存。",
  downgradeWarning: "所选级别低于计算级别，属于降级。降级理由将被记录。",
  savingTriage: "正在保存…",
  savedText: (level: string, minutes: number) =>
    `已保存：${level}，${minutes === 0 ? "立即就诊" : `${minutes} 分钟内就诊`}。`,
  savedAccepted: "采用了建议级别。",
  savedOverridden: "未采用建议级别（已更改）。",
  savedDowngraded: "已低于计算级别降级保存，降级理由已记录。",
  goBoard: "打开候诊看板",

  boardTitle: "候诊看板",
  boardRefresh: "刷新",
  boardEmpty: "目前没有候诊患者。",
  boardUpdated: (time: string) => `更新于 ${time}`,
  unknownPatient: "未知患者",
  ageYearsShort: (n: number) => `${n} 岁`,
  ageMonthsShort: (n: number) => `${n} 个月`,
  ageDaysShort: (n: number) => `${n} 天`,
  ageUnderOneYear: "不足 1 岁",
  colLevel: "级别",
  colPatient: "患者",
  colHospitalId: "病历号",
  colComplaint: "主诉",
  colEsi: "ESI",
  colNews2: "NEWS2",
  colArrived: "到院时间",
  colWaiting: "分诊后等候",
  colTriagedBy: "分诊人",
  waitingText: (waited: number, target: number) =>
    target === 0 ? `${waited} 分钟 / 目标：立即` : `${waited} 分钟 / 目标 ${target} 分钟`,
  retriageDue: "请立即再次分诊",
  overriddenMark: "已更改级别",
  downgradedMark: "已降级",
  callIn: "叫号就诊",
  callingIn: "正在叫号…",
  openEncounter: (name: string) => `打开 ${name} 的就诊记录`,

  encounterTitle: "就诊记录",
  levelsHeading: "级别",
  colComputed: "计算",
  colSuggested: "建议",
  colFinal: "最终",
  cnShort: "分级（国内）",
  overrideReasonHeading: "更改理由",
  observationsHeading: "生命体征",
  colCode: "编码",
  colUnit: "单位",
  colRecorded: "记录时间",
  observationNames: {
    "9279-1": "呼吸频率",
    "59408-5": "血氧饱和度 SpO₂（脉搏血氧）",
    "8867-4": "心率",
    "8480-6": "收缩压",
    "8462-4": "舒张压",
    "8310-5": "体温",
    "72514-3": "疼痛评分（0–10）",
    acvpu: "意识水平",
    "on-oxygen": "正在吸氧",
  },
  unitOutOfTen: "/10",
  noObservations: "未记录生命体征。",
  triagedByAt: (who: string, when: string) => `分诊人：${who}，时间：${when}`,
  statusLabel: "状态",
  statuses: { triaged: "候诊中", "in-progress": "已叫号", finished: "已结束" },
  arrivalLabel: "到院",
  yes: "是",
  no: "否",

  triageRulesHeading: "分诊规则",
  triageRulesHelp: "以下分诊规则表中的条目尚未与原始文件核对。使用这些条目的分级会在预检分诊页面上标出。",
  triageRulesEmpty: "所有规则条目均已核对。",
  colTable: "规则表",
  colRow: "条目",
  colSource: "来源",
  ruleTables: { news2: "NEWS2", esi: "ESI", cn: "分级（国内）", floor: "安全底线" },
  cnLevelNames: {
    1: "Ⅰ级 濒危",
    2: "Ⅱ级 危重",
    3: "Ⅲ级 急症",
    4: "Ⅳ级 非急症",
  },

  navModels: "模型",
  modelsTitle: "模型",
  modelsIntro: "导入 GGUF 模型，为每项任务选择模型和采样参数，并设置推理引擎。",
  modelsRefresh: "刷新",
  changesSaved: "已保存。",
  tokensText: (n: number) => `${n} 词元`,
  mibText: (mib: string) => `${mib} MiB`,
  noneDash: "—",

  engineHeading: "当前推理引擎",
  engineNone: "尚未加载推理引擎。下次提问时会自动加载，也可以点击“立即加载”。",
  engineLoadingBackground: "正在后台加载模型……",
  engineNameLabel: "模型",
  engineKindLabel: "运行位置",
  engineKinds: { local: "本机", remote: "远程服务器" },
  engineTemplateLabel: "对话模板",
  engineThreadsLabel: "线程数",
  engineContextLabel: "上下文长度",
  engineArchitectureLabel: "架构",
  engineLoad: "立即加载",
  engineLoading: "正在加载…",
  engineUnload: "卸载",
  engineUnloading: "正在卸载…",
  engineUnloaded: "已卸载推理引擎。下次提问前，其占用的内存保持释放。",
  templateOwn: "模型文件自带",
  templateNone: "无",

  modelImportHeading: "导入模型",
  modelImportHelp: "GGUF 文件会被复制到 Bedside 的数据文件夹并进行校验，原文件保持不变。大文件需要几分钟。",
  modelChooseFile: "选择文件…",
  modelImportPathLabel: "GGUF 文件",
  modelImportPathPlaceholder: "/path/to/model.gguf",
  modelImportNameLabel: "名称（可选）",
  modelImportNamePlaceholder: "留空则使用文件中的名称",
  modelImportShaLabel: "预期 SHA-256（可选）",
  modelImportShaPlaceholder: "模型发布方公布的值",
  modelImportShaInvalid: "SHA-256 必须是 64 个十六进制字符（0–9、a–f）。",
  modelImportStart: "导入",
  modelImporting: "正在导入…",
  modelImportCancel: "取消",
  modelImportCancelling: "正在取消…",
  modelImportProgress: (percent: number, copied: string, total: string) => `${percent}% · ${copied} / ${total} MiB`,
  modelImportStarting: "正在开始…",
  modelImportChecking: "已复制，正在校验文件…",
  modelImportDone: (name: string, size: string) => `已导入“${name}”（${size} MiB）。可在下方为任务选择它。`,
  modelImportCancelled: "导入已取消，未保留任何内容。",

  modelsHeading: "已导入的模型",
  modelsEmpty: "尚未导入任何模型。所有任务都使用内置默认模型。",
  colModelName: "名称",
  colModelType: "架构",
  colSize: "大小",
  colParameters: "参数量",
  colContext: "上下文",
  colLanguages: "语言",
  colTemplate: "对话模板",
  colMemory: "内存估算",
  colUsedBy: "用于",
  colSha256: "SHA-256",
  memoryEstimate: (mib: string, nCtx: number) => `${mib} MiB（${nCtx} 词元）`,
  memoryBreakdown: (weights: string, kv: string) => `权重 ${weights} MiB + KV 缓存 ${kv} MiB + 余量`,
  templateOwnShort: "自带",
  templateSelectLabel: (name: string) => `${name} 的对话模板`,
  templateSaved: (name: string) => `已保存“${name}”的对话模板。`,
  modelFileMissing: "文件缺失",
  modelFileMissingTitle: (path: string) => `未找到文件或大小不符：${path}`,
  renameModel: "重命名",
  renameModelLabel: (name: string) => `${name} 的新名称`,
  modelNameRequired: "请输入名称。",
  modelRenamed: (name: string) => `已重命名为“${name}”。`,
  removeModel: "移除",
  removeModelConfirm: (name: string) => `移除“${name}”？将删除它在 Bedside 数据文件夹中的副本，原文件不受影响。`,
  removeModelInUse: (tasks: string) => `仍用于：${tasks}。`,
  removeModelYes: "移除",
  removingModel: "正在移除…",
  modelRemoved: (name: string) => `已移除“${name}”。`,

  taskDefaultsHeading: "任务默认设置",
  taskDefaultsHelp: "每项任务使用各自的模型和采样参数，更改在下一次请求时生效。启用远程推理引擎期间，所有任务都改由它回答。",
  taskNames: { chat: "问答", drafting: "病历草稿", triage_summary: "分诊摘要" },
  taskModelLabel: "模型",
  builtInDefault: "内置默认",
  modelOptionMissing: (name: string) => `${name}（文件缺失）`,
  taskModelSaved: (task: string) => `已保存“${task}”使用的模型。`,
  samplingTemperature: "温度（0–2）",
  samplingTopP: "Top-p（0–1）",
  samplingSeed: "随机种子",
  samplingMaxTokens: "最大词元数（1–8192）",
  samplingRepeatPenalty: "重复惩罚（1–2）",
  samplingInvalid:
    "请检查数值：温度 0–2；Top-p 大于 0 且不超过 1；随机种子为 0 或以上的整数；最大词元数为 1 到 8192 的整数；重复惩罚 1–2。",

  keepHeading: "闲置时释放内存",
  keepLabel: (max: number) => `模型闲置多少分钟后释放内存（0 表示一直保留；最多 ${max}）`,
  keepHint: "医生或管理员登录后，会在后台加载问答模型；护士在第一次提问时加载。闲置超过该时间后再次释放。",
  keepInvalid: (max: number) => `请输入 0 到 ${max} 之间的整数。`,
  keepCurrent: (n: number) => (n === 0 ? "当前：一直保留，直到手动卸载" : `当前：${n} 分钟`),
  threadsHeading: "线程",
  threadsLabel: (max: number) => `本地模型使用的线程数（1–${max}）`,
  threadsHint: "在双核工作站上，使用 1 个线程可让窗口和导入保持流畅。",
  threadsInvalid: (max: number) => `请输入 1 到 ${max} 之间的整数。`,
  threadsCurrent: (n: number, max: number) => `当前：${n}（最多 ${max}）`,

  remoteHeading: "远程推理引擎",
  remoteHelp: "可改由院内网络上兼容 OpenAI 接口的推理服务器（例如 vLLM 或 llama.cpp server）回答，代替本地模型。",
  remoteWarning:
    "启用远程推理引擎后，问题、为其检索到的文献段落以及患者信息（例如预检分诊内容）都会发送到该服务器。仅可对医院自行运行且信任的服务器启用。",
  remoteStateOn: "已启用：回答来自远程服务器。",
  remoteStateOff: "未启用：不会向外发送任何内容。",
  remoteEnabled: "使用远程推理引擎",
  remoteUrl: "服务器地址（Base URL）",
  remoteUrlPlaceholder: "https://10.0.0.5:8000/v1",
  remoteModel: "服务器上的模型名称",
  remoteKey: "API 密钥",
  remoteKeyStoredPlaceholder: "已保存密钥；留空则保持不变",
  remoteKeyNonePlaceholder: "未保存密钥（可选）",
  remoteKeySet: "已保存 API 密钥。",
  remoteKeyNotSet: "未保存 API 密钥。",
  remoteKeyRemove: "删除密钥",
  remoteKeyRemoved: "已删除 API 密钥。",
  remoteKeyOtherServer: "此地址是另一台服务器：不会向其发送已保存的 API 密钥。请填写此服务器的密钥，或留空表示不使用密钥（保存后将删除已保存的密钥）。",
  remoteAllowHttp: "允许对此主机使用未加密的 http",
  remoteAllowHttpHint:
    "此地址是通过明文 http:// 连接其他计算机：问题、患者信息和 API 密钥将在网络上以未加密形式传输。建议使用 https://。允许此项会记录在审计日志中。",
  remoteTest: "测试连接",
  remoteTesting: "正在测试…",
  remoteTestOk: (ms: number, models: string) =>
    `服务器在 ${ms} 毫秒内响应。提供的模型：${models === "" ? "（未列出模型）" : models}。`,
  remoteTimeout: "超时（1–600）",
  unitSeconds: "秒",
  remoteUrlRequired: "启用远程推理引擎前，请填写服务器地址和模型名称。",
  remoteTimeoutInvalid: "请输入 1 到 600 之间的整数秒数。",
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

/** A translated name from a table, or the backend's own text when unknown. */
function lookup(table: Record<string, string>, key: string): string {
  return Object.hasOwn(table, key) ? table[key] : key;
}

export function sexText(t: Dict, sex: string): string {
  return lookup(t.sexes, sex);
}

export function riskText(t: Dict, risk: string): string {
  return lookup(t.news2Risks, risk);
}

/** An unanswered question (named by its intake path) in the UI language; an unknown one as sent. */
export function unansweredText(t: Dict, path: string): string {
  return lookup(t.unansweredLabels, path);
}

/** Why NEWS2 is not validated ("under_16", "pregnancy") in the UI language; an unknown code as sent. */
export function notValidatedText(t: Dict, code: string): string {
  return lookup(t.news2NotValidatedReasons, code);
}

export function news2ParamText(t: Dict, key: string): string {
  return lookup(t.news2Params, key);
}

/** A document's language ("en", "zh") in the UI language; an unknown one as sent. */
export function docLangText(t: Dict, lang: string): string {
  return lookup(t.docLangs, lang);
}

/** A document's format in the UI language; an unknown one as sent. */
export function docFormatText(t: Dict, format: string): string {
  return lookup(t.docFormats, format);
}

/** An import job's state (running, interrupted…) in the UI language; an unknown one as sent. */
export function jobStateText(t: Dict, state: string): string {
  return lookup(t.jobStates, state);
}

/** What became of one file of an import job, in the UI language; an unknown status as sent. */
export function jobFileStatusText(t: Dict, status: string): string {
  return lookup(t.jobFileStatuses, status);
}

export function departmentText(t: Dict, department: string): string {
  return lookup(t.departments, department);
}

export function statusText(t: Dict, status: string): string {
  return lookup(t.statuses, status);
}

/** A task's name (Chat, Note drafting…) in the UI language; an unknown one as sent. */
export function taskText(t: Dict, task: string): string {
  return lookup(t.taskNames, task);
}

/** Where an engine runs (local, remote) in the UI language; an unknown kind as sent. */
export function engineKindText(t: Dict, kind: string): string {
  return lookup(t.engineKinds, kind);
}

export function ruleTableText(t: Dict, table: string): string {
  return lookup(t.ruleTables, table);
}

export function arrivalModeText(t: Dict, mode: string): string {
  return lookup(t.arrivalModes, mode);
}

/** A Chinese grade's name in the UI language (Ⅱ级 危重 / Level II - critical). */
export function cnLevelText(t: Dict, level: number): string {
  return Object.hasOwn(t.cnLevelNames, level) ? t.cnLevelNames[level] : String(level);
}

/** A Chinese grade's names in both languages, for a badge (the grade is a Chinese standard). */
export function cnLevelNames(level: number): { zh: string; en: string } {
  return { zh: cnLevelText(dictionaries["zh-CN"], level), en: cnLevelText(dictionaries.en, level) };
}

/** ESI decision points A and B: a refusal naming one means it is unanswered. */
const ESI_ANSWER_PATHS: readonly string[] = [
  "esi.lifesaving_intervention",
  "esi.high_risk",
  "esi.new_confusion",
  "esi.severe_pain_or_distress",
];

/**
 * The message shown beside an input: a check done here, or a backend field
 * error, in the user's language.
 */
export function fieldErrorText(t: Dict, error: FieldError): string {
  switch (error.code) {
    case "not_a_number":
      return t.fieldNotNumber;
    case "not_whole":
      return t.fieldNotWhole;
    case "bad_date":
      return t.fieldBadDate;
    case "bad_time":
      return t.fieldBadTime;
    case "future_time":
      return t.fieldFutureTime;
    case "reason_required":
      return t.reasonRequired;
    case "too_long":
      return error.field === "decision.reason" || error.field === "" ? t.reasonTooLong : t.fieldTooLong;
    case "impossible_value":
      return error.field === "vitals.diastolic_bp" && /systolic/.test(error.message) ? t.fieldDiastolicHigh : t.fieldImpossible;
    case "invalid_value":
      if (error.field === "patient.birth_date") return t.fieldBadDate;
      if (error.field === "arrived_at") return /future/i.test(error.message) ? t.fieldFutureTime : t.fieldBadTime;
      if (error.field === "decision.reason") return /500/.test(error.message) ? t.reasonTooLong : t.reasonRequired;
      if (ESI_ANSWER_PATHS.includes(error.field)) return t.fieldAnswerRequired;
      if (error.field === "patient.age_days") return t.fieldInfantAge;
      if (error.field.startsWith("vitals.")) return t.fieldVitalNeeded;
      if (/shorter/.test(error.message)) return t.fieldTooLong;
      return t.fieldInvalid;
    default:
      return errorText(t, error.code, error.message);
  }
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
