//! File size limits as users write them (`1MB`, `512KiB`, `2000000`, `0` for none) and as the summary shows them.

/// Walked files larger than this are not linted unless the user raises the limit: 1 MiB. Hand-written sources are
/// far smaller; what is larger is nearly always generated (bundles, minified code, bindings).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// No file larger than this is linted, not even one named on the command line or with `--max-file-size 0`: 24 MiB.
///
/// Linting takes memory in proportion to the file: the syntax tree and the analyses over it. Measured peak RSS (release
/// build) is about 60 bytes per byte of ordinary Python (20 MB: 1.2 GB, 24 MiB: 1.5 GB, 32 MiB: 2.0 GB) and up to
/// about 190 per byte of code that is all short tokens (`(1,2,3,…)` lines; Python, JavaScript, TypeScript and Rust
/// alike: 8 MiB: 1.6 GB). Beyond this a run could abort when memory runs out; such a file is skipped with a notice.
pub const HARD_MAX_FILE_SIZE: u64 = 24 * 1024 * 1024;

/// Is a file of `len` bytes over [`HARD_MAX_FILE_SIZE`]?
pub fn over_hard_limit(len: u64) -> bool {
    len > HARD_MAX_FILE_SIZE
}

/// The notice for a file of `len` bytes at `path` skipped for [`HARD_MAX_FILE_SIZE`].
pub fn hard_limit_notice(path: &std::path::Path, len: u64) -> String {
    format!(
        "{}: not linted: {} is over the hard limit of {} for one file (linting it could take more memory than there is)",
        path.display(),
        human(len),
        SizeLimit(Some(HARD_MAX_FILE_SIZE))
    )
}

/// A size limit: `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimit(pub Option<u64>);

impl Default for SizeLimit {
    fn default() -> Self {
        SizeLimit(Some(DEFAULT_MAX_FILE_SIZE))
    }
}

impl SizeLimit {
    /// Is a file of `len` bytes over the limit?
    pub fn exceeded_by(self, len: u64) -> bool {
        self.0.is_some_and(|max| len > max)
    }
}

/// Parses `1048576`, `500KB`, `2MB`, `1MiB`, `1.5 MB` (units are case-insensitive; KB = 1000, KiB = 1024 bytes);
/// `0` means no limit.
pub fn parse(text: &str) -> Result<SizeLimit, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let bad = || format!("invalid size `{text}`: write bytes (`1048576`), or a number with KB, MB, KiB or MiB (`1MB`); 0 for no limit");
    let value: f64 = number.parse().map_err(|_| bad())?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(bad()),
    };
    let bytes = value * factor;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(bad());
    }
    if bytes > 0.0 && bytes.round() == 0.0 {
        // `0.4` is not "no limit": only a written zero is
        return Err(format!("invalid size `{text}`: less than one byte (0 means no limit)"));
    }
    Ok(SizeLimit(Some(bytes.round() as u64).filter(|b| *b > 0)))
}

/// `1.2 MB`, `640 KB`, `12 bytes`.
pub fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{:.0} KB", b as f64 / 1e3),
        b => format!("{b} bytes"),
    }
}

impl std::fmt::Display for SizeLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("none"),
            Some(b) if b % (1024 * 1024) == 0 => write!(f, "{} MiB", b / (1024 * 1024)),
            Some(b) if b % 1024 == 0 => write!(f, "{} KiB", b / 1024),
            Some(b) => f.write_str(&human(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_and_without_units() {
        assert_eq!(parse("1048576"), Ok(SizeLimit(Some(1_048_576))));
        assert_eq!(parse("500KB"), Ok(SizeLimit(Some(500_000))));
        assert_eq!(parse("2 mb"), Ok(SizeLimit(Some(2_000_000))));
        assert_eq!(parse("1MiB"), Ok(SizeLimit(Some(1_048_576))));
        assert_eq!(parse("1.5MB"), Ok(SizeLimit(Some(1_500_000))));
        assert_eq!(parse("0"), Ok(SizeLimit(None)));
        for bad in ["", "MB", "-1", "1 parsec", "1e400"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_show_in_the_units_they_were_given() {
        assert_eq!(SizeLimit::default().to_string(), "1 MiB");
        assert_eq!(SizeLimit(Some(500_000)).to_string(), "500 KB");
        assert_eq!(SizeLimit(None).to_string(), "none");
        assert!(SizeLimit::default().exceeded_by(DEFAULT_MAX_FILE_SIZE + 1));
        assert!(!SizeLimit::default().exceeded_by(DEFAULT_MAX_FILE_SIZE));
        assert!(!SizeLimit(None).exceeded_by(u64::MAX));
    }

    #[test]
    fn the_hard_limit_is_24_mib() {
        assert!(!over_hard_limit(24 * 1024 * 1024));
        assert!(over_hard_limit(24 * 1024 * 1024 + 1));
        assert_eq!(
            hard_limit_notice(std::path::Path::new("a.py"), 30_000_000),
            "a.py: not linted: 30.0 MB is over the hard limit of 24 MiB for one file (linting it could take more memory than there is)"
        );
    }
}
