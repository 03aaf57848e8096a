//! Files on a shared machine, written and read safely.
//!
//! - [`write_atomic`]: the bytes go to a temporary file in the same
//!   directory (created exclusively, with an unpredictable name, never
//!   through a symbolic link, private to the user), which is synced,
//!   renamed over the target, and the directory synced. A crash or power
//!   cut never leaves half a file, and another user who can write the
//!   folder cannot make us write somewhere else.
//! - [`read_input`]: a file from outside (a spreadsheet, a bundle) is read
//!   only when it is a regular file of bounded size, so a FIFO, a device
//!   or a huge file is refused at once instead of blocking or filling
//!   memory (and before any database is opened).

use std::cell::RefCell;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Who reads and writes the files a command names, when a server runs the
/// command for a client (`server::serve`): the client, with its own
/// permissions and in its own working directory, so that a client never
/// reaches a file through the server that it could not reach itself. The
/// agent handles the files of the database's own folder itself (through
/// [`read_input_here`] and [`write_atomic_here`]).
pub trait Agent {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, InputError>;
    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()>;
}

thread_local! {
    static AGENT: RefCell<Option<Rc<dyn Agent>>> = const { RefCell::new(None) };
}

/// Runs `f` with `agent` doing this thread's file reads and writes.
pub fn with_agent<R>(agent: Rc<dyn Agent>, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<Rc<dyn Agent>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let before = self.0.take();
            AGENT.with(|a| *a.borrow_mut() = before);
        }
    }
    let _reset = Reset(AGENT.with(|a| a.replace(Some(agent))));
    f()
}

fn agent() -> Option<Rc<dyn Agent>> {
    AGENT.with(|a| a.borrow().clone())
}

/// Mode of the files and folders we create: private to the user. Group
/// access is added where a group is admitted (see `docs/SECURITY.md`).
pub const PRIVATE_FILE: u32 = 0o600;
/// Mode of the folders we create.
pub const PRIVATE_DIR: u32 = 0o700;

/// Writes `bytes` to `path` atomically and durably, private to the user
/// (mode 0600; an existing file's mode is not widened). Creates the parent
/// directory if needed (mode 0700). On failure the temporary file is
/// removed and the old content of `path`, if any, is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match agent() {
        Some(a) => a.write(path, bytes),
        None => write_atomic_here(path, bytes),
    }
}

/// [`write_atomic`] by this process, whatever agent is set.
pub fn write_atomic_here(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_here(path, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], with the content written by `fill` (so a large
/// export need not be held in memory twice).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let Some(a) = agent() else {
        return write_here(path, fill);
    };
    let mut f = tempfile::tempfile()?;
    fill(&mut f)?;
    let mut bytes = Vec::new();
    std::io::Seek::rewind(&mut f)?;
    f.read_to_end(&mut bytes)?;
    a.write(path, &bytes)
}

fn write_here(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    // tempfile creates with O_EXCL | O_CREAT (no link is followed, no file
    // is reused), a random suffix and mode 0600.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    fill(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    // Rename, not copy: the target is replaced by our file, never written
    // through (a symbolic link at `path` is replaced, not followed).
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(dir) {
        // Makes the rename itself durable; not all filesystems allow it.
        let _ = d.sync_all();
    }
    Ok(())
}

/// A name for a file made from `text` (an office, a kind of record) that
/// is safe on every system: letters and digits kept (Chinese too), anything
/// else `-`; `fallback` when nothing is left.
pub fn name_part(text: &str, fallback: &str) -> String {
    let s: String = text
        .trim()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// `dir/<base>.<ext>`, or `dir/<base>-2.<ext>`, `-3`... when an entry of
/// that name exists already (a symbolic link counts), so a file made now
/// never replaces an earlier one.
pub fn unique_path(dir: &Path, base: &str, ext: &str) -> PathBuf {
    let mut path = dir.join(format!("{base}.{ext}"));
    let mut n = 2;
    while std::fs::symlink_metadata(&path).is_ok() {
        path = dir.join(format!("{base}-{n}.{ext}"));
        n += 1;
    }
    path
}

/// Creates `dir` and its missing parents; the folders created are private
/// to the user (mode 0700). An existing folder is left as it is.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(PRIVATE_DIR);
    }
    b.create(dir)
}

/// Why a file from outside was not read.
#[derive(Debug)]
pub enum InputError {
    /// Could not open or read it.
    Io(std::io::Error),
    /// Not a regular file (a FIFO, a device, a folder, a socket).
    NotRegular,
    /// Larger than the limit.
    TooLarge { size: u64, limit: u64 },
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "{e}"),
            InputError::NotRegular => write!(f, "not a regular file"),
            InputError::TooLarge { size, limit } => {
                write!(f, "{size} bytes, more than the {limit} allowed")
            }
        }
    }
}

/// Reads a file from outside: only a regular file of at most `limit` bytes.
/// Opening never blocks (a FIFO is opened non-blocking and then refused),
/// and at most `limit` bytes are read even if the file grows meanwhile.
pub fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    match agent() {
        Some(a) => a.read(path, limit),
        None => read_input_here(path, limit),
    }
}

/// [`read_input`] by this process, whatever agent is set.
pub fn read_input_here(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Without O_NONBLOCK, opening a FIFO waits for a writer forever.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(InputError::Io)?;
    let meta = file.metadata().map_err(InputError::Io)?;
    if !meta.file_type().is_file() {
        return Err(InputError::NotRegular);
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_paths_never_name_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = unique_path(dir.path(), "组织-20261203-101500", "xlsx");
        assert_eq!(first, dir.path().join("组织-20261203-101500.xlsx"));
        std::fs::write(&first, b"1").unwrap();
        let second = unique_path(dir.path(), "组织-20261203-101500", "xlsx");
        assert_eq!(second, dir.path().join("组织-20261203-101500-2.xlsx"));
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &second).unwrap();
        #[cfg(unix)]
        assert_eq!(
            unique_path(dir.path(), "组织-20261203-101500", "xlsx"),
            dir.path().join("组织-20261203-101500-3.xlsx"),
            "a dangling link is taken too"
        );
        assert_eq!(name_part("西湖区/文新 街道", "x"), "西湖区-文新-街道");
        assert_eq!(name_part(" ", "sanshe"), "sanshe");
    }

    #[test]
    fn writes_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("a.txt");
        write_atomic(&p, "一".as_bytes()).unwrap();
        write_atomic(&p, "二".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "二");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn failure_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should go: rename fails.
        let p = dir.path().join("taken");
        std::fs::create_dir_all(p.join("inside")).unwrap();
        assert!(write_atomic(&p, b"x").is_err());
        assert!(p.join("inside").is_dir());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn files_and_folders_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new").join("out.csv");
        write_atomic(&p, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), 0o600);
        assert_eq!(mode(p.parent().unwrap()), 0o700);
    }

    /// The attack of issue [1/6] 2: a neighbour who can write the output
    /// folder plants symbolic links where the temporary file used to go
    /// (`.NAME.PID.tmp`) and for the target; the victim's file must not be
    /// written through any of them.
    #[cfg(unix)]
    #[test]
    fn planted_symbolic_links_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let out = dir.path().join("shared");
        std::fs::create_dir(&out).unwrap();
        let me = std::process::id();
        for pid in me.saturating_sub(50)..me + 50 {
            let _ = std::os::unix::fs::symlink(&victim, out.join(format!(".export.csv.{pid}.tmp")));
        }
        write_atomic(&out.join("export.csv"), b"export").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(
            std::fs::read_to_string(out.join("export.csv")).unwrap(),
            "export"
        );
        // A link at the target itself is replaced, not written through.
        let target = out.join("bulletin.md");
        std::os::unix::fs::symlink(&victim, &target).unwrap();
        write_atomic(&target, b"bulletin").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!std::fs::symlink_metadata(&target)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.csv");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_input(&fifo, 1024),
            Err(InputError::NotRegular)
        ));
        assert!(matches!(
            read_input(Path::new("/dev/zero"), 1024),
            Err(InputError::NotRegular)
        ));
        assert!(matches!(
            read_input(dir.path(), 1024),
            Err(InputError::NotRegular)
        ));
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.csv");
        std::fs::write(&p, vec![b'a'; 2000]).unwrap();
        assert!(matches!(
            read_input(&p, 1000),
            Err(InputError::TooLarge { size: 2000, .. })
        ));
        assert_eq!(read_input(&p, 2000).unwrap().len(), 2000);
    }
}
