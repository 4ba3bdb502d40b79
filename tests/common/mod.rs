//! Helpers the robustness tests share: the built binary run in a directory, and files written into one.
use std::fs;
use std::path::Path;

use assert_cmd::Command;

/// The built `ctxlint`, run in `dir`, without colour and at a fixed width.
pub fn ctxlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ctxlint").expect("binary built");
    cmd.current_dir(dir).env("NO_COLOR", "1").env("COLUMNS", "100");
    cmd
}

/// Writes `bytes` to `dir/rel`, creating its directories.
pub fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}
