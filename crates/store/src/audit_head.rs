//! The audit chain's head, written down where the database key does not reach.
//!
//! Cutting rows off the end of the audit log leaves a shorter chain that still verifies
//! ([`crate::audit`]); only a record of how far the chain once reached tells. That record is a
//! plain, append-only text file beside the data directory (one per data directory, never
//! inside it) and a line in the system log where there is one. Bedside writes it at every
//! login, logout and restore and hourly, and compares it with the database at start
//! ([`Store::check_head`]). Whoever holds the database key and cuts the log must now also edit
//! a second file, and cannot edit the system log without root. What it does not stop: the same
//! OS user truncating the file as well (docs/security.md).
//!
//! One line per mark, `AT EVENT HEAD_ID HEAD_HASH`, so that an auditor can read it with `tail`.

use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::{Result, Store};

/// Where the system log listens on Linux (journald and rsyslog both).
pub const SYSTEM_LOG: &str = "/dev/log";

/// The audit row that says a head file was started for this database. Its presence tells a
/// removed file from one never written.
pub const HEAD_STARTED_ACTION: &str = "audit_head_started";

/// The mark written after a restore replaced the database on purpose: the chain before it no
/// longer applies.
pub const RESTORE_EVENT: &str = "restore";

/// The mark written after a start check found the log cut or replaced and raised the alarm
/// (recorded in the log and the system log): later checks compare with the log as found then,
/// so one loss is reported once, not at every start for ever.
pub const ALARM_EVENT: &str = "alarm";

/// One written-down head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadMark {
    /// UTC, RFC 3339, by the database's clock.
    pub at: String,
    /// `start`, `login`, `logout`, `hourly`, `restore`, …
    pub event: String,
    /// The last audit row's id then.
    pub head_id: i64,
    /// Its hash.
    pub head_hash: String,
}

impl HeadMark {
    fn line(&self) -> String {
        format!(
            "{} {} {} {}\n",
            self.at, self.event, self.head_id, self.head_hash
        )
    }

    /// A line as written; `None` for anything else (a line cut short by a crash).
    fn parse(line: &str) -> Option<HeadMark> {
        let mut parts = line.split_ascii_whitespace();
        let mark = HeadMark {
            at: parts.next()?.to_string(),
            event: parts.next()?.to_string(),
            head_id: parts.next()?.parse().ok()?,
            head_hash: parts.next()?.to_string(),
        };
        let is_hash =
            mark.head_hash.len() == 64 && mark.head_hash.bytes().all(|b| b.is_ascii_hexdigit());
        (parts.next().is_none() && is_hash).then_some(mark)
    }
}

/// What comparing the database with the written-down head found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum HeadCheck {
    /// The chain still reaches the last head written down, with the same hash.
    Matches {
        /// The mark compared with.
        recorded_id: i64,
        /// When it was written.
        recorded_at: String,
    },
    /// No head has been written down for this database yet (a new installation, or the first
    /// start of a version that writes one).
    NotYetRecorded,
    /// The database says a head file was started, but there is none: it was removed, or the
    /// data directory was moved without it.
    FileMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The chain ends before the head written down: rows were cut off the end of the log.
    RowsMissing {
        /// The mark compared with.
        recorded_id: i64,
        /// When it was written.
        recorded_at: String,
        /// Where the chain ends now.
        head_id: i64,
    },
    /// The row at the head written down has another hash: the log was rewritten or the
    /// database replaced other than by a restore.
    Differs {
        /// The mark compared with.
        recorded_id: i64,
        /// When it was written.
        recorded_at: String,
    },
    /// The file is there but could not be read or holds no mark.
    Unreadable {
        /// Why.
        reason: String,
    },
    /// The head could not be written down (a read-only parent folder, a file that is not
    /// this user's own): until it can, rows cut off the end of the log go unnoticed.
    Unwritable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl HeadCheck {
    /// True when nothing suggests the log was cut or replaced.
    pub fn holds(&self) -> bool {
        matches!(self, HeadCheck::Matches { .. } | HeadCheck::NotYetRecorded)
    }
}

/// The head file of one data directory, and the system log beside it.
#[derive(Debug, Clone)]
pub struct HeadFile {
    path: PathBuf,
    system_log: Option<PathBuf>,
}

impl HeadFile {
    /// The head file of `data_dir`: `<parent>/<name>.audit-head`, beside it so that copying or
    /// encrypting the data directory does not take the record of it along.
    pub fn beside(data_dir: &Path) -> HeadFile {
        let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
        let mut name = dir
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "bedside".into());
        name.push(".audit-head");
        let parent = dir.parent().unwrap_or(&dir);
        HeadFile {
            path: parent.join(name),
            system_log: Some(PathBuf::from(SYSTEM_LOG)),
        }
    }

    /// The same file with another system-log socket, or none.
    pub fn with_system_log(mut self, socket: Option<PathBuf>) -> HeadFile {
        self.system_log = socket;
        self
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `mark` as one write (atomic for a line this short under `O_APPEND`, so the
    /// window and the CLI can both write); true when this call created the file. The file is
    /// created private to its owner; one that is a link, not a plain file, someone else's or
    /// writable by others is refused rather than trusted. A last line cut short by a crash is
    /// ended first, so that it cannot swallow this mark.
    pub fn append(&self, mark: &HeadMark) -> io::Result<bool> {
        let mut options = std::fs::OpenOptions::new();
        options.append(true).read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let (mut file, created) = match options.clone().create_new(true).open(&self.path) {
            Ok(f) => (f, true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                (options.open(&self.path)?, false)
            }
            Err(e) => return Err(e),
        };
        let meta = file.metadata()?;
        check_trustworthy(&meta)?;
        let mut line = mark.line();
        if meta.len() > 0 && last_byte(&file, meta.len())? != Some(b'\n') {
            line.insert(0, '\n');
        }
        file.write_all(line.as_bytes())?;
        file.sync_data()?;
        Ok(created)
    }

    /// The readable marks in order, from the last [`MAX_READ`] bytes; `None` when there is no
    /// file. A file that is a link, a pipe or a directory is an error, never read or waited on.
    pub fn marks(&self) -> io::Result<Option<Vec<HeadMark>>> {
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            libc::O_NOFOLLOW | libc::O_NONBLOCK,
        );
        let mut file = match options.open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let meta = file.metadata()?;
        check_trustworthy(&meta)?;
        let skip = meta.len().saturating_sub(MAX_READ);
        file.seek(io::SeekFrom::Start(skip))?;
        let mut bytes = Vec::new();
        (&mut file).take(MAX_READ).read_to_end(&mut bytes)?;
        let text = String::from_utf8_lossy(&bytes);
        // Reading from the middle of the file starts in the middle of a line.
        let text = match (skip > 0, text.find('\n')) {
            (true, Some(i)) => &text[i + 1..],
            (true, None) => "",
            (false, _) => &text[..],
        };
        Ok(Some(text.lines().filter_map(HeadMark::parse).collect()))
    }

    /// Sends `message` to the system log (facility authpriv), if there is one. Best effort:
    /// a workstation without a log daemon still works, and the head file has the record.
    /// True when it was sent.
    pub fn tell_system_log(&self, warning: bool, message: &str) -> bool {
        let Some(socket) = &self.system_log else {
            return false;
        };
        send_to_system_log(socket, warning, message).is_ok()
    }
}

/// How much of the head file's end is read: about ten thousand marks, months of a busy
/// workstation. A restore or alarm further back than that no longer matters, since every mark
/// read was written after it.
pub const MAX_READ: u64 = 1 << 20;

/// A head file is only believed if it is a plain file of this user's own that nobody else may
/// write: one planted in a shared folder by another account must not decide what the log is
/// compared with.
fn check_trustworthy(meta: &std::fs::Metadata) -> io::Result<()> {
    if !meta.is_file() {
        return Err(io::Error::other("it is not a plain file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if meta.uid() != unsafe { libc::geteuid() } {
            return Err(io::Error::other("it belongs to another user"));
        }
        if meta.mode() & 0o022 != 0 {
            return Err(io::Error::other("other users may write to it"));
        }
    }
    Ok(())
}

fn last_byte(file: &std::fs::File, len: u64) -> io::Result<Option<u8>> {
    let mut byte = [0u8; 1];
    #[cfg(unix)]
    let n = std::os::unix::fs::FileExt::read_at(file, &mut byte, len - 1)?;
    #[cfg(not(unix))]
    let n = {
        let _ = (file, len);
        0
    };
    Ok((n == 1).then_some(byte[0]))
}

#[cfg(unix)]
fn send_to_system_log(socket: &Path, warning: bool, message: &str) -> io::Result<()> {
    // authpriv (10) × 8 + warning (4) or notice (5), the BSD syslog framing every local
    // daemon accepts.
    let priority = 80 + if warning { 4 } else { 5 };
    let line = format!("<{priority}>bedside[{}]: {message}", std::process::id());
    let sock = std::os::unix::net::UnixDatagram::unbound()?;
    // A stalled log daemon must not hold up a login: a full socket drops the line.
    sock.set_nonblocking(true)?;
    sock.send_to(line.as_bytes(), socket)?;
    Ok(())
}

#[cfg(not(unix))]
fn send_to_system_log(_socket: &Path, _warning: bool, _message: &str) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no system log"))
}

impl Store {
    /// The chain's head now, as a mark for `event`. Cheap: reads the last row, does not walk
    /// the chain.
    pub fn head_mark(&self, event: &str) -> Result<HeadMark> {
        let conn = self.conn();
        let (head_id, head_hash) = conn
            .query_row(
                "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, crate::audit::GENESIS.to_string()));
        let at = conn.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |r| {
            r.get(0)
        })?;
        Ok(HeadMark {
            at,
            event: event.to_string(),
            head_id,
            head_hash,
        })
    }

    /// Compares the log with the last head written down in `file`. Marks from before the
    /// last restore or alarm do not count (the chain was rewound on purpose, or its loss has
    /// been reported); of those after it, the furthest is the one the chain must still reach
    /// (the window and the CLI write marks concurrently, so the last line is not always the
    /// furthest).
    pub fn check_head(&self, file: &HeadFile) -> Result<HeadCheck> {
        let marks = match file.marks() {
            Ok(marks) => marks,
            Err(e) => {
                return Ok(HeadCheck::Unreadable {
                    reason: e.to_string(),
                })
            }
        };
        let conn = self.conn();
        let Some(marks) = marks else {
            let started: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = ?1)",
                [HEAD_STARTED_ACTION],
                |r| r.get(0),
            )?;
            return Ok(if started {
                HeadCheck::FileMissing {
                    path: file.path().to_path_buf(),
                }
            } else {
                HeadCheck::NotYetRecorded
            });
        };
        let rewound = |m: &HeadMark| m.event == RESTORE_EVENT || m.event == ALARM_EVENT;
        let since_restore = match marks.iter().rposition(rewound) {
            Some(i) => &marks[i..],
            None => &marks[..],
        };
        let Some(reference) = since_restore.iter().max_by_key(|m| m.head_id) else {
            return Ok(HeadCheck::Unreadable {
                reason: "it holds no readable line".into(),
            });
        };
        let hash_there: Option<String> = conn
            .query_row(
                "SELECT hash FROM audit_log WHERE id = ?1",
                [reference.head_id],
                |r| r.get(0),
            )
            .optional()?;
        let (recorded_id, recorded_at) = (reference.head_id, reference.at.clone());
        Ok(match hash_there {
            _ if reference.head_id == 0 => HeadCheck::Matches {
                recorded_id,
                recorded_at,
            },
            None => HeadCheck::RowsMissing {
                recorded_id,
                recorded_at,
                head_id: conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
                    r.get(0)
                })?,
            },
            Some(hash) if hash != reference.head_hash => HeadCheck::Differs {
                recorded_id,
                recorded_at,
            },
            Some(_) => HeadCheck::Matches {
                recorded_id,
                recorded_at,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(event: &str, id: i64) -> HeadMark {
        HeadMark {
            at: "2026-12-05T08:00:00Z".into(),
            event: event.into(),
            head_id: id,
            head_hash: "ab".repeat(32),
        }
    }

    #[test]
    fn a_mark_reads_back_as_written_and_a_torn_line_is_skipped() {
        let m = mark("login", 42);
        assert_eq!(HeadMark::parse(&m.line()), Some(m.clone()));
        let torn = &m.line()[..m.line().len() - 10];
        assert_eq!(HeadMark::parse(torn), None);
        assert_eq!(HeadMark::parse(""), None);
        assert_eq!(HeadMark::parse("2026 login x abc"), None);
    }

    #[test]
    fn the_file_sits_beside_the_data_directory_not_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("clinic-data");
        std::fs::create_dir(&data).unwrap();
        let file = HeadFile::beside(&data);
        assert_eq!(
            file.path(),
            std::fs::canonicalize(dir.path())
                .unwrap()
                .join("clinic-data.audit-head")
        );
    }

    #[test]
    fn appending_creates_a_private_file_once_and_keeps_every_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = HeadFile::beside(&dir.path().join("data")).with_system_log(None);
        assert!(file.marks().unwrap().is_none());
        assert!(file.append(&mark("start", 1)).unwrap());
        assert!(!file.append(&mark("login", 2)).unwrap());
        let marks = file.marks().unwrap().unwrap();
        assert_eq!(marks, vec![mark("start", 1), mark("login", 2)]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the head file is private: {mode:o}");
        }
    }

    #[test]
    fn a_line_cut_short_by_a_crash_does_not_swallow_the_next_mark() {
        let dir = tempfile::tempdir().unwrap();
        let file = HeadFile::beside(&dir.path().join("data")).with_system_log(None);
        file.append(&mark("login", 1)).unwrap();
        let torn = &mark("logout", 2).line()[..20];
        std::fs::OpenOptions::new()
            .append(true)
            .open(file.path())
            .unwrap()
            .write_all(torn.as_bytes())
            .unwrap();
        file.append(&mark("restore", 3)).unwrap();
        let marks = file.marks().unwrap().unwrap();
        assert_eq!(marks, vec![mark("login", 1), mark("restore", 3)]);
    }

    #[test]
    fn only_the_end_of_a_long_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = HeadFile::beside(&dir.path().join("data")).with_system_log(None);
        let filler = "x".repeat(100) + "\n";
        let mut text = mark("login", 1).line();
        while (text.len() as u64) < 2 * MAX_READ {
            text.push_str(&filler);
        }
        text.push_str(&mark("logout", 9).line());
        std::fs::write(file.path(), text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert_eq!(file.marks().unwrap().unwrap(), vec![mark("logout", 9)]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_a_pipe_or_a_file_others_may_write_is_refused_not_followed_or_waited_on() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = HeadFile::beside(&dir.path().join("data")).with_system_log(None);
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, mark("login", 1).line()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, file.path()).unwrap();
        assert!(file.marks().is_err());
        assert!(file.append(&mark("login", 2)).is_err());
        assert_eq!(
            std::fs::read_to_string(&elsewhere).unwrap(),
            mark("login", 1).line()
        );

        std::fs::remove_file(file.path()).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(file.path())
            .status()
            .unwrap();
        assert!(status.success());
        assert!(file.marks().is_err(), "a pipe is refused at once");
        assert!(file.append(&mark("login", 2)).is_err());

        std::fs::remove_file(file.path()).unwrap();
        std::fs::write(file.path(), mark("login", 1).line()).unwrap();
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(file.marks().is_err(), "anyone could have written it");
    }

    #[cfg(unix)]
    #[test]
    fn the_system_log_gets_a_line_when_one_listens() {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("log");
        let daemon = std::os::unix::net::UnixDatagram::bind(&socket).unwrap();
        let file = HeadFile::beside(&dir.path().join("data")).with_system_log(Some(socket));
        assert!(file.tell_system_log(true, "audit head login row 7"));
        let mut buf = [0u8; 512];
        let n = daemon.recv(&mut buf).unwrap();
        let line = String::from_utf8_lossy(&buf[..n]);
        assert!(line.starts_with("<84>bedside["), "{line}");
        assert!(line.ends_with("]: audit head login row 7"), "{line}");

        let nobody = HeadFile::beside(&dir.path().join("data"))
            .with_system_log(Some(dir.path().join("no-daemon-here")));
        assert!(!nobody.tell_system_log(false, "lost"));
    }
}
