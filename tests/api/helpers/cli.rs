//! Running the real binary as a child process (the CLI tests).

use std::process::Stdio;

use tokio::io::AsyncWriteExt;

/// What a run of the real binary printed.
pub struct CliOutput {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `hackhelpdesk ARGS` with only the given environment, in `dir`, feeding `stdin`.
pub async fn run_cli(
    args: &[&str],
    env: &[(&str, &str)],
    dir: &std::path::Path,
    stdin: &str,
) -> CliOutput {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_hackhelpdesk"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("binary starts");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.as_bytes())
        .await
        .expect("stdin written");
    drop(input);
    let output = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the command finishes within a minute")
        .expect("output");
    CliOutput {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
