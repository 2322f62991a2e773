//! The one way the tests run the real binary: [`Bin`], a builder whose [`Bin::run`] always has
//! the hang guard (a run longer than its timeout is killed and fails the test) and the panic
//! guard (status 101, or an end by a signal, fails the test), and returns a [`Run`].

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use super::{repo, NOW};

/// How long one run of the binary may take before it counts as a hang ([`Bin::timeout`]
/// changes it for one run).
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// One run of `bridgelint` being built: arguments, folder, standard input, environment.
///
/// ```ignore
/// let r = Bin::check().format("json").arg("x.yaml").current_dir(&dir).run();
/// assert_eq!(r.code, 1, "{}", r.stderr);
/// ```
///
/// Standard input is empty unless [`Bin::stdin`] gives it; `NO_COLOR` is removed from the
/// environment, so that colour tests decide it themselves; the folder is the repository's
/// root unless [`Bin::current_dir`] says otherwise.
#[must_use = "a Bin does nothing until `.run()`"]
pub struct Bin {
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    stdin: Option<Vec<u8>>,
    env: Vec<(OsString, OsString)>,
    wrapper: Vec<OsString>,
    measure: bool,
    timeout: Duration,
    stdout: Stdout,
    stderr_full: bool,
}

/// Where the binary's standard output goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stdout {
    /// A pipe the harness reads ([`Run::stdout`]).
    Captured,
    /// `/dev/full`: every write fails with "no space left on device".
    Full,
    /// A stream whose reading end is already closed: every write fails with a broken pipe,
    /// as in `| head -c1` once `head` has exited.
    Closed,
}

impl Default for Bin {
    fn default() -> Self {
        Bin::new()
    }
}

impl Bin {
    /// `bridgelint` with no argument yet.
    pub fn new() -> Bin {
        Bin {
            args: Vec::new(),
            dir: None,
            stdin: None,
            env: Vec::new(),
            wrapper: Vec::new(),
            measure: false,
            timeout: TIMEOUT,
            stdout: Stdout::Captured,
            stderr_full: false,
        }
    }

    /// `bridgelint check --now NOW`: today is the tests' [`NOW`].
    pub fn check() -> Bin {
        Bin::new().args(["check", "--now", NOW])
    }

    /// `bridgelint inventory --now NOW`.
    pub fn inventory() -> Bin {
        Bin::new().args(["inventory", "--now", NOW])
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Bin {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Bin
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// `--format FORMAT`.
    pub fn format(self, format: &str) -> Bin {
        self.args(["--format", format])
    }

    /// The folder the binary runs in.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Bin {
        self.dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// These bytes on standard input (else it is empty).
    pub fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Bin {
        self.stdin = Some(bytes.as_ref().to_vec());
        self
    }

    /// An environment variable for this run.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Bin {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Measures the run's peak resident memory ([`Run::max_rss_kb`]) by running it under GNU
    /// `/usr/bin/time`, when that is installed (else the run is not measured).
    pub fn measure_memory(mut self) -> Bin {
        self.measure = true;
        self
    }

    /// Runs the binary as the last argument of another program (`strace -f -o LOG`), which
    /// must exit with the binary's status. The two run in a process group of their own, so
    /// that a hang kills both.
    pub fn wrapped_in<I, S>(mut self, program_and_args: I) -> Bin
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.wrapper = program_and_args
            .into_iter()
            .map(|a| a.as_ref().to_owned())
            .collect();
        self
    }

    /// Standard output goes to `/dev/full` (a full disk); [`Run::stdout`] is then empty.
    pub fn stdout_to_full(mut self) -> Bin {
        self.stdout = Stdout::Full;
        self
    }

    /// Standard output is a stream nobody reads any more (a closed pipe, `| head -c1`);
    /// [`Run::stdout`] is then empty.
    pub fn stdout_closed(mut self) -> Bin {
        self.stdout = Stdout::Closed;
        self
    }

    /// Standard error goes to `/dev/full` (`2>/dev/full`); [`Run::stderr`] is then empty.
    pub fn stderr_to_full(mut self) -> Bin {
        self.stderr_full = true;
        self
    }

    /// Another hang limit than [`TIMEOUT`], for a run over a project of thousands of files.
    pub fn timeout(mut self, timeout: Duration) -> Bin {
        self.timeout = timeout;
        self
    }

    /// Starts the binary with piped standard input and output and returns it running: for a
    /// long-lived process driven message by message (the language server's tests, whose client
    /// guards against hangs with its own timeout and kills the child when dropped). Standard
    /// error is discarded.
    pub fn spawn(self) -> std::process::Child {
        let dir = self.dir.clone().unwrap_or_else(|| repo().to_path_buf());
        let (mut cmd, _) = self.command(None);
        cmd.current_dir(&dir)
            .stdin(Stdio::piped())
            .stderr(Stdio::null());
        cmd.spawn().expect("the bridgelint binary starts")
    }

    /// Runs the binary and waits for it. Fails the test when the run hangs (it is killed after
    /// the timeout), panics (status 101), ends by a signal, or prints something other than
    /// UTF-8 on standard output.
    pub fn run(self) -> Run {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let dir = self.dir.clone().unwrap_or_else(|| repo().to_path_buf());
        let what = || format!("bridgelint {args:?} in {}", dir.display());
        // GNU time's report, when the run is measured.
        let report = self
            .measure
            .then(gnu_time)
            .flatten()
            .map(|time| (time, TempFile::new("rss")));
        let (mut cmd, grouped) = self.command(report.as_ref().map(|(t, f)| (*t, &f.0)));
        cmd.current_dir(&dir);
        let started = Instant::now();
        let mut child = cmd.spawn().expect("the bridgelint binary starts");
        if let Some(input) = self.stdin {
            let mut stdin = child.stdin.take().expect("piped stdin");
            std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
        }
        let (status, stdout, stderr) = wait_for(child, self.timeout, grouped, &what);
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&stderr).into_owned();
        let (code, max_rss_kb) = match &report {
            Some((_, file)) => read_time_report(&file.0, status.code()),
            None => (status.code(), None),
        };
        assert_ne!(code, Some(101), "{} panicked:\n{stderr}", what());
        let code = code.unwrap_or_else(|| panic!("{} was ended by a signal:\n{stderr}", what()));
        let stdout = String::from_utf8(stdout)
            .unwrap_or_else(|e| panic!("{} printed bytes that are not UTF-8: {e}", what()));
        Run {
            args,
            code,
            stdout,
            stderr,
            elapsed,
            max_rss_kb,
        }
    }

    /// The command to spawn (the binary, or its wrappers with GNU time first when `time` says
    /// where it writes its report), and whether it runs in a process group of its own.
    fn command(&self, time: Option<(&Path, &PathBuf)>) -> (Command, bool) {
        let exe = env!("CARGO_BIN_EXE_bridgelint");
        let mut wrapper: Vec<OsString> = Vec::new();
        if let Some((time, report)) = time {
            wrapper.extend(
                [
                    time.as_os_str(),
                    "-f".as_ref(),
                    "%M".as_ref(),
                    "-o".as_ref(),
                ]
                .map(OsStr::to_owned),
            );
            wrapper.push(report.as_os_str().to_owned());
        }
        wrapper.extend(self.wrapper.iter().cloned());
        let mut cmd = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut c = Command::new(program);
                c.args(rest).arg(exe);
                // Its own process group, so that a hang is killed with its wrapper.
                #[cfg(unix)]
                std::os::unix::process::CommandExt::process_group(&mut c, 0);
                c
            }
            None => Command::new(exe),
        };
        cmd.args(&self.args)
            .env_remove("NO_COLOR")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(match self.stdin {
                Some(_) => Stdio::piped(),
                None => Stdio::null(),
            })
            .stdout(stdout_of(self.stdout))
            .stderr(match self.stderr_full {
                true => stdout_of(Stdout::Full),
                false => Stdio::piped(),
            });
        (cmd, !wrapper.is_empty())
    }
}

fn stdout_of(kind: Stdout) -> Stdio {
    match kind {
        Stdout::Captured => Stdio::piped(),
        Stdout::Full => std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full opens")
            .into(),
        Stdout::Closed => {
            // A socket pair with one end dropped: writing to the other is EPIPE at once, with
            // no race against a reader that has not exited yet.
            let (ours, theirs) =
                std::os::unix::net::UnixStream::pair().expect("a socket pair for stdout");
            drop(theirs);
            std::os::fd::OwnedFd::from(ours).into()
        }
    }
}

/// The exit status and the peak memory in KiB from GNU time's report, which says "Command
/// exited with non-zero status N" before the value, and "Command terminated by signal N" when
/// the child was killed (a status of `None`).
fn read_time_report(report: &Path, status: Option<i32>) -> (Option<i32>, Option<u64>) {
    let text = std::fs::read_to_string(report).unwrap_or_default();
    let max_rss_kb = text.lines().last().and_then(|l| l.trim().parse().ok());
    let mut code = status;
    if let Some(line) = text.lines().find(|l| l.contains("non-zero status")) {
        code = line.rsplit(' ').next().and_then(|n| n.parse().ok());
    }
    if text.contains("terminated by signal") {
        code = None;
    }
    (code, max_rss_kb)
}

/// A unique file name in the system temp folder; the file, if written, is removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(tag: &str) -> TempFile {
        static N: AtomicUsize = AtomicUsize::new(0);
        TempFile(std::env::temp_dir().join(format!(
            "bridgelint-t-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        )))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// What one run of the binary gave.
pub struct Run {
    /// The arguments it ran with, for failure messages.
    pub args: Vec<String>,
    /// The exit status (a run ended by a signal fails the test instead).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// Peak resident memory in KiB, when [`Bin::measure_memory`] could measure it.
    pub max_rss_kb: Option<u64>,
}

impl std::fmt::Debug for Run {
    /// Long outputs are cut: a failure message must stay readable.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| -> String {
            match s.char_indices().nth(4000) {
                Some((at, _)) => format!("{}... ({} bytes)", &s[..at], s.len()),
                None => s.to_string(),
            }
        };
        f.debug_struct("Run")
            .field("args", &self.args)
            .field("code", &self.code)
            .field("stdout", &cut(&self.stdout))
            .field("stderr", &cut(&self.stderr))
            .field("elapsed", &self.elapsed)
            .field("max_rss_kb", &self.max_rss_kb)
            .finish()
    }
}

impl Run {
    /// (exit status, standard output, standard error), to name them at once:
    /// `let (code, out, err) = s.check().run().into_parts();`.
    pub fn into_parts(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }

    /// Asserts that the run linted: exit status 0 or 1 (2 is a wrong invocation).
    #[track_caller]
    pub fn linted(self) -> Run {
        assert!(
            matches!(self.code, 0 | 1),
            "exit status {} for {:?}:\n{}\n{}",
            self.code,
            self.args,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Standard output as JSON (fails the test when it is not).
    #[track_caller]
    pub fn json(&self) -> Json {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}) from {:?}:\n{}\n{}",
                self.args, self.stdout, self.stderr
            )
        })
    }

    /// The lines of standard output that are not empty (compact: one per finding).
    pub fn lines(&self) -> Vec<&str> {
        super::compact_lines(&self.stdout)
    }

    /// `path:line:column: severity[rule]` prefixes of compact output, in order.
    pub fn compact_keys(&self) -> Vec<String> {
        super::compact_keys(&self.stdout)
    }

    /// Asserts status 2, nothing on standard output, and a message on standard error that
    /// holds `needle` (cli.md: a wrong invocation reports nothing else).
    #[track_caller]
    pub fn assert_usage_error(&self, needle: &str) {
        let (args, out, err) = (&self.args, &self.stdout, &self.stderr);
        assert_eq!(self.code, 2, "{args:?}\nstdout:\n{out}\nstderr:\n{err}");
        assert_eq!(out, "", "{args:?}: status 2 reports nothing else");
        assert!(
            err.contains(needle),
            "{args:?}: stderr lacks {needle:?}:\n{err}"
        );
    }
}

/// `/usr/bin/time` when it is GNU time (it understands `-f %M -o FILE`).
fn gnu_time() -> Option<&'static Path> {
    static CHECKED: OnceLock<bool> = OnceLock::new();
    let ok = *CHECKED.get_or_init(|| {
        Command::new("/usr/bin/time")
            .args(["-f", "%M", "-o", "/dev/null", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    ok.then_some(Path::new("/usr/bin/time"))
}

/// Waits for a started run with piped output: reads both streams on their own threads (a full
/// pipe must not stall the child) and fails the test when the run outlives `timeout`, killing
/// it, or its whole process group with `group` (a wrapper such as `time` and its child).
fn wait_for(
    mut child: Child,
    timeout: Duration,
    group: bool,
    what: &dyn Fn() -> String,
) -> (ExitStatus, Vec<u8>, Vec<u8>) {
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = child.stdout.take().map(|o| read_all(Box::new(o)));
    let err = child.stderr.take().map(|e| read_all(Box::new(e)));
    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for bridgelint") {
            Some(status) => break status,
            None if started.elapsed() > timeout => {
                if group {
                    let _ = Command::new("kill")
                        .args(["-KILL", "--", &format!("-{}", child.id())])
                        .status();
                }
                let _ = child.kill();
                let _ = child.wait();
                panic!("{} hung for more than {timeout:?}", what());
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let stdout = out.map_or_else(Vec::new, |o| o.join().expect("stdout reader"));
    let stderr = err.map_or_else(Vec::new, |e| e.join().expect("stderr reader"));
    (status, stdout, stderr)
}
