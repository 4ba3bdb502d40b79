//! Python package names as the model compares them: PEP 503 normalization, the name at the start of a PEP 508
//! requirement, and the library an instrumentation package is named after.

/// The PEP 503 normal form of a distribution name: lower case, each run of `-`, `_` and `.` one `-`
/// (`Kafka_Python` → `kafka-python`).
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// The normalized distribution name a PEP 508 requirement starts with (`aio_pika[extra]>=9; python_version>"3.8"` →
/// `aio-pika`), or `None` when the text does not start with a name (a URL, a path, an option, `${VAR}`).
pub fn requirement_name(spec: &str) -> Option<String> {
    let spec = spec.trim_start();
    let end = spec.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(spec.len());
    // a name starts and ends with a letter or digit
    let name = spec[..end].trim_end_matches(['-', '_', '.']);
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    // `pkg/sub` is a path, `https:` and `git+https:` start URLs
    if spec[name.len()..].starts_with(['/', '\\', ':', '+']) {
        return None;
    }
    Some(normalize(name))
}

/// The instrumentation package name prefixes whose remainder names the instrumented library: OpenTelemetry contrib's
/// and traceloop's `opentelemetry-instrumentation-<lib>`, openinference's `openinference-instrumentation-<lib>`.
const INSTRUMENTATION_PREFIXES: &[&str] = &["opentelemetry-instrumentation-", "openinference-instrumentation-"];

/// The library a package named `package` is the instrumentation of, normalized: `kafka-python` for
/// `opentelemetry-instrumentation-kafka-python`, `aio-pika` for `opentelemetry_instrumentation_aio_pika`,
/// `langchain` for `openinference-instrumentation-langchain`; `None` for any other name.
pub fn instrumented_library(package: &str) -> Option<String> {
    let package = normalize(package);
    INSTRUMENTATION_PREFIXES.iter().find_map(|prefix| package.strip_prefix(prefix)).filter(|lib| !lib.is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized_like_pep_503() {
        assert_eq!(normalize("Kafka_Python"), "kafka-python");
        assert_eq!(normalize("opentelemetry.instrumentation__threading"), "opentelemetry-instrumentation-threading");
        assert_eq!(normalize("  Sentry-SDK "), "sentry-sdk");
    }

    #[test]
    fn a_requirement_starts_with_its_name() {
        assert_eq!(requirement_name("aio_pika[extra]>=9; python_version > '3.8'").as_deref(), Some("aio-pika"));
        assert_eq!(requirement_name("logfire (>=3.0)").as_deref(), Some("logfire"));
        assert_eq!(requirement_name("sentry-sdk==2.75.0 --hash=sha256:abc").as_deref(), Some("sentry-sdk"));
        assert_eq!(requirement_name("celery @ https://example.com/celery.whl").as_deref(), Some("celery"));
        assert_eq!(requirement_name("Foo.Bar"), Some("foo-bar".to_string()));
        for not_a_name in ["./pkg", "../x", "${REQS}", "git+https://github.com/x/y", "https://x/y.whl", "src/pkg", "", "-e ."] {
            assert_eq!(requirement_name(not_a_name), None, "{not_a_name}");
        }
    }

    #[test]
    fn instrumentation_packages_name_their_library() {
        assert_eq!(instrumented_library("opentelemetry-instrumentation-kafka-python").as_deref(), Some("kafka-python"));
        assert_eq!(instrumented_library("opentelemetry_instrumentation_aio_pika").as_deref(), Some("aio-pika"));
        assert_eq!(instrumented_library("openinference-instrumentation-langchain").as_deref(), Some("langchain"));
        assert_eq!(instrumented_library("opentelemetry-instrumentation"), None);
        assert_eq!(instrumented_library("opentelemetry-instrumentation-"), None);
        assert_eq!(instrumented_library("my-service"), None);
    }
}
