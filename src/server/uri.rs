//! `file://` URIs to paths (RFC 8089, percent-decoded); other schemes (`untitled:`) have no path.
use std::path::PathBuf;

/// The path of a `file://` URI, or `None` for another scheme or a URI that is not valid UTF-8 once decoded.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path`: only an empty host or localhost name this machine
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(at) if rest[..at].eq_ignore_ascii_case("localhost") => &rest[at..],
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    // `file:///C:/x` on Windows
    if cfg!(windows) {
        if let Some(drive) = decoded.strip_prefix('/').filter(|d| d.as_bytes().get(1) == Some(&b':')) {
            return Some(PathBuf::from(drive));
        }
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_percent_encoding() {
        assert_eq!(to_path("file:///tmp/a%20b/%C3%A9.py"), Some(PathBuf::from("/tmp/a b/é.py")));
        assert_eq!(to_path("file://localhost/tmp/x.py"), Some(PathBuf::from("/tmp/x.py")));
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file://server/share/x.py"), None);
        assert_eq!(to_path("file:///bad%zz"), None);
        assert_eq!(to_path("file:///tmp/a%23b%3F.py"), Some(PathBuf::from("/tmp/a#b?.py")));
    }
}
