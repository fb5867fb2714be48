//! `mxray`: the same engine as the web app, in a terminal, with JSON output for scripts.
//!
//! Every command takes `--resolver URL` (DNS-over-HTTPS endpoints, repeatable, asked in order
//! with failover; Cloudflare then Google by default) or `--zone FILE` (a master file that is the
//! whole DNS for the run) and `--json`. The commands are declared here so the interface is
//! stable from the start; each one is filled in by the issue that owns its area and until then
//! exits with status 2 and says so.
//!
//! Exit status: 0 when the command found nothing wrong, 1 when it did (for `lookup`: a resolver
//! gave no DNS answer; with `--compare`: resolvers disagree), 2 for bad input.

/// Appends a line to a command's output (writing to a String cannot fail).
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        let _ = std::fmt::Write::write_fmt($out, format_args!("{}\n", format_args!($($arg)*)));
    }};
}

mod check;
mod dkim;
mod dmarc;
mod lookup;
mod net;
mod source;
mod spf;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Check and build the DNS records that decide whether a domain's mail is delivered.
#[derive(Parser, Debug)]
#[command(name = "mxray", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where DNS answers come from.
#[derive(Args, Debug, Clone)]
struct Source {
    /// DNS-over-HTTPS endpoint (RFC 8484), e.g. https://cloudflare-dns.com/dns-query;
    /// repeat to give several, asked in order when one fails
    #[arg(long, value_name = "URL", conflicts_with = "zone", global = true)]
    resolver: Vec<String>,
    /// A master file that is the whole DNS for this run (names not in it do not exist)
    #[arg(long, value_name = "FILE", global = true)]
    zone: Option<std::path::PathBuf>,
    /// Print JSON instead of text
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a domain: SPF, DKIM, DMARC, MX, reverse DNS, client config, MTA-STS, TLS-RPT, BIMI
    Check {
        /// The domain to check
        domain: String,
        /// DKIM selectors to check (repeatable)
        #[arg(long = "selector", value_name = "S")]
        selectors: Vec<String>,
        /// A sending IP address to check reverse DNS and SPF for
        #[arg(long)]
        ip: Option<String>,
        /// More SRV services to check, like _xmpp-client._tcp (repeatable)
        #[arg(long = "srv", value_name = "_SERVICE._PROTO")]
        srv: Vec<String>,
        #[command(flatten)]
        source: Source,
    },
    /// Look up any name and types, all at once
    Lookup {
        /// The name to look up: a domain, URL or email address (an IP address asks for its PTR
        /// name; Unicode names are converted to A-labels)
        name: String,
        /// Record types (default TXT, or PTR for an IP address)
        types: Vec<String>,
        /// Ask every resolver (the given ones, Cloudflare and Google) and show where they differ
        #[arg(long)]
        compare: bool,
        #[command(flatten)]
        source: Source,
    },
    /// Analyse a domain's SPF policy: the include tree, lookups of 10, networks, findings
    #[command(args_conflicts_with_subcommands = true)]
    Spf {
        #[command(subcommand)]
        action: Option<SpfAction>,
        /// The domain whose policy to analyse
        domain: Option<String>,
        #[command(flatten)]
        source: Source,
    },
    /// Check DKIM keys of a domain
    Dkim {
        /// The signing domain
        domain: String,
        /// Selectors to check (repeatable)
        #[arg(long = "selector", value_name = "S")]
        selectors: Vec<String>,
        #[command(flatten)]
        source: Source,
    },
    /// Check a domain's DMARC policy
    Dmarc {
        /// The domain whose policy to check
        domain: String,
        #[command(flatten)]
        source: Source,
    },
    /// Lint a pasted record without DNS (a pasted DKIM-Signature header looks its key up)
    Lint {
        /// The kind of record: spf, dkim or dmarc
        kind: String,
        /// The record text
        record: String,
        #[command(flatten)]
        source: Source,
    },
}

#[derive(Subcommand, Debug)]
enum SpfAction {
    /// Evaluate the policy for a sender (check_host, RFC 7208), with the trace
    Eval {
        /// The sending server's IP address
        #[arg(long)]
        ip: std::net::IpAddr,
        /// The MAIL FROM address (empty for bounces: then postmaster@HELO)
        #[arg(long)]
        sender: String,
        /// The HELO/EHLO name; its own SPF result is shown beside the MAIL FROM one
        #[arg(long)]
        helo: Option<String>,
        /// The domain whose policy to evaluate (default: the sender's domain)
        domain: Option<String>,
        #[command(flatten)]
        source: Source,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = String::new();
    let result = match &cli.command {
        Command::Check {
            domain,
            selectors,
            ip,
            srv,
            source,
        } => source::backend(&source.resolver, source.zone.as_deref()).and_then(|backend| {
            check::check(
                &backend,
                &check::Args {
                    domain,
                    selectors,
                    ip: ip.as_deref(),
                    srv,
                    json: source.json,
                    fetch_policy: source.zone.is_none(),
                },
                &mut out,
            )
        }),
        Command::Lookup {
            name,
            types,
            compare,
            source,
        } => source::backend(&source.resolver, source.zone.as_deref()).and_then(|backend| {
            lookup::run(
                &backend,
                &lookup::Request {
                    name: name.clone(),
                    types: types.clone(),
                    compare: *compare,
                    json: source.json,
                },
                &mut out,
            )
        }),
        Command::Spf {
            action: None,
            domain: Some(domain),
            source,
        } => source::backend(&source.resolver, source.zone.as_deref())
            .and_then(|backend| spf::analyse(&backend, domain, source.json, &mut out)),
        Command::Spf {
            action:
                Some(SpfAction::Eval {
                    ip,
                    sender,
                    helo,
                    domain,
                    source,
                }),
            ..
        } => source::backend(&source.resolver, source.zone.as_deref()).and_then(|backend| {
            spf::eval(
                &backend,
                &spf::EvalRequest {
                    ip: *ip,
                    sender: sender.clone(),
                    helo: helo.clone(),
                    domain: domain.clone(),
                    json: source.json,
                },
                &mut out,
            )
        }),
        Command::Spf { .. } => Err(source::Failure::Input(
            "name a domain (mxray spf example.com) or evaluate a sender (mxray spf eval --ip … \
             --sender … example.com)"
                .into(),
        )),
        Command::Dkim {
            domain,
            selectors,
            source,
        } => source::backend(&source.resolver, source.zone.as_deref())
            .and_then(|backend| dkim::check(&backend, domain, selectors, source.json, &mut out)),
        Command::Dmarc { domain, source } => {
            source::backend(&source.resolver, source.zone.as_deref())
                .and_then(|backend| dmarc::check(&backend, domain, source.json, &mut out))
        }
        Command::Lint {
            kind,
            record,
            source,
        } => match kind.to_ascii_lowercase().as_str() {
            "spf" => Ok(spf::lint(record, source.json, &mut out)),
            "dmarc" => Ok(dmarc::lint(record, source.json, &mut out)),
            "dkim" => dkim::lint(
                record,
                || source::backend(&source.resolver, source.zone.as_deref()),
                source.json,
                &mut out,
            ),
            other => Err(source::Failure::Input(format!(
                "no linter for {other:?}: use spf, dkim or dmarc"
            ))),
        },
    };
    // A closed pipe (`mxray … | head`) is not an error worth a message.
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    match result {
        Ok(status) => ExitCode::from(status),
        Err(failure) => {
            eprintln!("mxray: {failure}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn lookup_accepts_several_types_and_a_zone() {
        let cli = Cli::try_parse_from([
            "mxray",
            "lookup",
            "example.com",
            "TXT",
            "MX",
            "--zone",
            "z.zone",
            "--json",
        ])
        .unwrap();
        let Command::Lookup {
            name,
            types,
            source,
            ..
        } = cli.command
        else {
            panic!("parsed as another command");
        };
        assert_eq!(name, "example.com");
        assert_eq!(types, ["TXT", "MX"]);
        assert!(source.json);
        assert_eq!(source.zone.unwrap().to_str(), Some("z.zone"));
    }

    #[test]
    fn resolver_and_zone_exclude_each_other() {
        let err = Cli::try_parse_from([
            "mxray",
            "spf",
            "example.com",
            "--zone",
            "a",
            "--resolver",
            "https://x/dns-query",
        ])
        .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
