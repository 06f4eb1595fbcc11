//! The optional TOML configuration file of `mindoodb serve --config FILE`: fills in every
//! option that neither the command line nor the environment set.
//!
//! Invariants:
//! - Precedence is flag, then environment variable, then file, then default: a file value
//!   replaces only a value clap reports as its default.
//! - Unknown keys are an error, so a misspelt option is not silently ignored.
//! - The file holds no secrets: the bootstrap password is never read from it.
//!
//! See: docs/OPERATIONS.md#containers

use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;
use serde::Deserialize;

use crate::config::{LogFormat, ServeArgs};

/// The file's keys: the `serve` options, with '_' for '-'.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    unix_socket_dir: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    log_format: Option<LogFormat>,
    slow_statement_ms: Option<u64>,
    metrics_listen: Option<String>,
}

/// Why the file cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
    /// It cannot be read.
    #[error("config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is not valid TOML or has an unknown key or a wrongly typed value.
    #[error("config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message (it quotes the offending line, never a secret: the file
        /// holds none).
        message: String,
    },
}

/// Applies `args.config`, if any, to every option of `args` that `matches` has at its default.
pub(crate) fn apply(args: &mut ServeArgs, matches: &ArgMatches) -> Result<(), ConfigError> {
    let Some(path) = args.config.clone() else {
        return Ok(());
    };
    let file = read(&path)?;
    let defaulted = |id: &str| {
        matches!(
            matches.value_source(id),
            None | Some(ValueSource::DefaultValue)
        )
    };
    if let Some(listen) = file.listen
        && defaulted("listen")
    {
        args.listen = listen;
    }
    if let Some(dir) = file.unix_socket_dir
        && defaulted("unix_socket_dir")
    {
        args.unix_socket_dir = Some(dir);
    }
    if let Some(dir) = file.data_dir
        && defaulted("data_dir")
    {
        args.data_dir = dir;
    }
    if let Some(cert) = file.tls_cert
        && defaulted("tls_cert")
    {
        args.tls_cert = Some(cert);
    }
    if let Some(key) = file.tls_key
        && defaulted("tls_key")
    {
        args.tls_key = Some(key);
    }
    if let Some(format) = file.log_format
        && defaulted("log_format")
    {
        args.log_format = format;
    }
    if let Some(ms) = file.slow_statement_ms
        && defaulted("slow_statement_ms")
    {
        args.slow_statement_ms = ms;
    }
    if let Some(addr) = file.metrics_listen
        && defaulted("metrics_listen")
    {
        args.metrics_listen = Some(addr);
    }
    Ok(())
}

fn read(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|err| ConfigError::Parse {
        path: path.to_owned(),
        message: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory as _, FromArgMatches as _, Parser};

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(argv: &[&str], file: &str) -> Result<ServeArgs, ConfigError> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mindoodb.toml");
        std::fs::write(&path, file).expect("write config");
        let path = path.to_str().expect("utf-8 path").to_owned();
        let mut full = vec!["mindoodb", "--config", &path];
        full.extend_from_slice(argv);
        let matches = Cli::command().get_matches_from(full);
        let mut args = Cli::from_arg_matches(&matches).expect("args").serve;
        apply(&mut args, &matches)?;
        Ok(args)
    }

    #[test]
    fn the_file_fills_defaults_and_flags_win() {
        let file = r#"
            listen = "127.0.0.1:6543"
            unix_socket_dir = "/run/mindoodb"
            data_dir = "/srv/mindoodb"
            log_format = "json"
            slow_statement_ms = 250
            metrics_listen = "127.0.0.1:9187"
        "#;
        let args = parse(&[], file).expect("parse");
        assert_eq!(args.listen, "127.0.0.1:6543");
        assert_eq!(args.data_dir, PathBuf::from("/srv/mindoodb"));
        assert_eq!(args.unix_socket_dir, Some(PathBuf::from("/run/mindoodb")));
        assert_eq!(args.log_format, LogFormat::Json);
        assert_eq!(args.slow_statement_ms, 250);
        assert_eq!(args.metrics_listen.as_deref(), Some("127.0.0.1:9187"));

        let args =
            parse(&["--listen", "0.0.0.0:1", "--slow-statement-ms", "5"], file).expect("parse");
        assert_eq!(args.listen, "0.0.0.0:1");
        assert_eq!(args.slow_statement_ms, 5);
        assert_eq!(args.data_dir, PathBuf::from("/srv/mindoodb"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let err = parse(&[], "lisen = \"x\"").expect_err("misspelt key");
        assert!(err.to_string().contains("lisen"), "{err}");
        assert!(parse(&[], "slow_statement_ms = \"slow\"").is_err());
        assert!(parse(&[], "log_format = \"xml\"").is_err());
        assert!(parse(&[], "not toml at all [").is_err());
    }
}
