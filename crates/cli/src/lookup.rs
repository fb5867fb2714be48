//! `mxray lookup NAME [TYPE...]`: every type asked at once, answers printed as zone-file lines
//! (TXT strings with their byte lengths) or as JSON. `--compare` asks every resolver and shows
//! where their answers differ.

use mxray_core::dns::compare::Comparison;
use mxray_core::dns::input::{Target, normalise};
use mxray_core::dns::zone::record_line;
use mxray_core::dns::{
    Answered, Outcome, RData, Record, RecordType, Resolver, TransportError, Unanswered,
};
use mxray_core::join::join_all;

use serde_json::{Value, json};

/// Appends a line to the output (writing to a String cannot fail).
use crate::net::{Uts46, block_on};
use crate::source::{Backend, Failure};
use crate::spf::print_json;

/// What the command was asked.
pub struct Request {
    pub name: String,
    pub types: Vec<String>,
    pub compare: bool,
    pub json: bool,
}

/// Runs the command; the exit status is 0 when every question got a DNS answer (records, no
/// data, or no such name), 1 when a resolver failed, 2 for bad input.
pub fn run(backend: &Backend, request: &Request, out: &mut String) -> Result<u8, Failure> {
    let target = normalise(&request.name, &Uts46).map_err(|e| Failure::Input(e.to_string()))?;
    let types = if request.types.is_empty() {
        vec![target.default_type(RecordType::TXT)]
    } else {
        request
            .types
            .iter()
            .map(|t| {
                RecordType::from_text(&t.to_ascii_uppercase())
                    .ok_or_else(|| Failure::Input(format!("{t:?} is not a record type")))
            })
            .collect::<Result<_, _>>()?
    };
    if request.compare {
        return compare(backend, &target, &types, request.json, out);
    }
    let answers = block_on(ask_all(backend, &target, &types));
    let failed = answers.iter().any(|(t, a)| !answered(*t, a));
    if request.json {
        let value = json!({
            "name": target.name.to_string(),
            "unicode": target.unicode,
            "notes": target.notes,
            "answers": answers.iter().map(|(t, a)| answer_json(*t, a)).collect::<Vec<_>>(),
        });
        print_json(&value, out);
    } else {
        print_target(&target, out);
        for (rtype, answer) in &answers {
            print_answer(&target, *rtype, answer, out);
        }
    }
    Ok(u8::from(failed))
}

async fn ask_all<R: Resolver>(
    resolver: &R,
    target: &Target,
    types: &[RecordType],
) -> Vec<(RecordType, Result<Answered, Unanswered>)> {
    let asks = types
        .iter()
        .map(|&t| async move { (t, resolver.ask(&target.name, t).await) });
    join_all(asks).await
}

/// Whether a DNS answer (positive or negative) came back.
fn answered(rtype: RecordType, result: &Result<Answered, Unanswered>) -> bool {
    result
        .as_ref()
        .is_ok_and(|a| Outcome::from_message(&a.message, rtype).is_answer())
}

fn print_target(target: &Target, out: &mut String) {
    if target.unicode.is_some() || !target.notes.is_empty() {
        outln!(out, ";; {}", target.display());
    }
    for note in &target.notes {
        outln!(out, ";; note: {note}");
    }
}

fn print_answer(
    target: &Target,
    rtype: RecordType,
    result: &Result<Answered, Unanswered>,
    out: &mut String,
) {
    let name = target.name.to_string();
    match result {
        Err(failure) => {
            outln!(out, ";; {rtype}: no answer. {}", failure.error);
            for a in failure
                .attempts
                .iter()
                .filter(|_| failure.attempts.len() > 1)
            {
                outln!(out, ";;   {}: {}", a.resolver, a.problem);
            }
        }
        Ok(answer) => {
            let outcome = Outcome::from_message(&answer.message, rtype);
            let dnssec = if answer.message.flags.authentic_data {
                "DNSSEC validated (AD)"
            } else {
                "not DNSSEC-validated"
            };
            outln!(out, ";; {rtype}: {}", outcome.summary(&name, rtype));
            outln!(
                out,
                ";;   answered by {} in {} ms, {dnssec}",
                answer.source,
                answer.elapsed_ms
            );
            for a in &answer.attempts {
                outln!(out, ";;   failed first: {}: {}", a.resolver, a.problem);
            }
            for record in outcome.chain().iter().chain(outcome.records()) {
                outln!(out, "{}", record_line(record));
                if let RData::Txt(strings) = &record.data {
                    let lengths: Vec<String> =
                        strings.iter().map(|s| s.len().to_string()).collect();
                    let total: usize = strings.iter().map(Vec::len).sum();
                    outln!(
                        out,
                        ";;   {} string{}: {} bytes{}",
                        strings.len(),
                        if strings.len() == 1 { "" } else { "s" },
                        lengths.join(" + "),
                        if strings.len() > 1 {
                            format!(" = {total} bytes")
                        } else {
                            String::new()
                        }
                    );
                }
            }
        }
    }
}

fn record_json(record: &Record) -> Value {
    let mut value = json!({
        "name": record.name.to_fqdn(),
        "type": record.rtype.to_string(),
        "ttl": record.ttl,
        "data": record.data.to_string(),
    });
    if let RData::Txt(strings) = &record.data {
        value["strings"] = strings
            .iter()
            .map(|s| json!({ "text": String::from_utf8_lossy(s), "bytes": s.len() }))
            .collect();
    }
    value
}

fn answer_json(rtype: RecordType, result: &Result<Answered, Unanswered>) -> Value {
    match result {
        Err(failure) => json!({
            "type": rtype.to_string(),
            "status": "no-answer",
            "error": failure.error.to_string(),
            "attempts": failure.attempts.iter().map(|a| json!({"resolver": a.resolver, "problem": a.problem})).collect::<Vec<_>>(),
        }),
        Ok(answer) => {
            let outcome = Outcome::from_message(&answer.message, rtype);
            let status = match &outcome {
                Outcome::Records { .. } => "records",
                Outcome::NoData { .. } => "no-data",
                Outcome::NxDomain { .. } => "no-such-name",
                Outcome::ServFail { .. } => "server-failure",
                Outcome::Refused => "refused",
                Outcome::OtherRcode(_) => "other-rcode",
            };
            let (records, chain) = (outcome.records(), outcome.chain());
            json!({
                "type": rtype.to_string(),
                "status": status,
                "summary": outcome.summary(&answer.message.questions.first().map(|q| q.name.to_string()).unwrap_or_default(), rtype),
                "rcode": answer.message.rcode.to_string(),
                "authentic_data": answer.message.flags.authentic_data,
                "resolver": answer.source,
                "elapsed_ms": answer.elapsed_ms,
                "records": records.iter().map(record_json).collect::<Vec<_>>(),
                "chain": chain.iter().map(record_json).collect::<Vec<_>>(),
                "attempts": answer.attempts.iter().map(|a| json!({"resolver": a.resolver, "problem": a.problem})).collect::<Vec<_>>(),
            })
        }
    }
}

fn compare(
    backend: &Backend,
    target: &Target,
    types: &[RecordType],
    as_json: bool,
    out: &mut String,
) -> Result<u8, Failure> {
    let Backend::Doh(cache) = backend else {
        return Err(Failure::Input(
            "--compare asks several resolvers; it cannot be used with --zone".into(),
        ));
    };
    let doh = cache.inner();
    let endpoints = mxray_core::dns::doh::comparison_endpoints(doh.endpoints());
    let asks = types.iter().flat_map(|&rtype| {
        endpoints.iter().map(move |endpoint| async move {
            let result: Result<Answered, TransportError> =
                doh.ask_endpoint(endpoint, &target.name, rtype).await;
            (
                rtype,
                mxray_core::dns::doh::resolver_label(endpoint),
                result,
            )
        })
    });
    let results = block_on(join_all(asks));
    let mut all_agree = true;
    let mut json_rows = Vec::new();
    for &rtype in types {
        let rows: Vec<_> = results
            .iter()
            .filter(|(t, _, _)| *t == rtype)
            .map(|(_, label, r)| (label.clone(), r.clone()))
            .collect();
        let comparison = Comparison::new(rows, rtype);
        all_agree &= comparison.agree();
        if as_json {
            json_rows.push(json!({
                "type": rtype.to_string(),
                "agree": comparison.agree(),
                "distinct": comparison.distinct,
                "summary": comparison.summary(),
                "resolvers": comparison.rows.iter().map(|row| match &row.result {
                    Ok(a) => {
                        let mut v = answer_json(rtype, &Ok(a.clone()));
                        v["group"] = json!(row.group);
                        v
                    }
                    Err(e) => json!({"resolver": row.resolver, "status": "no-answer", "error": e.to_string(), "group": null}),
                }).collect::<Vec<_>>(),
            }));
        } else {
            outln!(
                out,
                ";; {rtype} at {}: {}",
                target.name,
                comparison.summary()
            );
            for row in &comparison.rows {
                let group = row.group.map_or("-".to_owned(), |g| {
                    char::from(b'A' + (g % 26) as u8).to_string()
                });
                match &row.result {
                    Ok(a) => {
                        let outcome = Outcome::from_message(&a.message, rtype);
                        outln!(
                            out,
                            "[{group}] {} ({} ms): {}",
                            row.resolver,
                            a.elapsed_ms,
                            outcome.summary(&target.name.to_string(), rtype)
                        );
                        if let Outcome::Records { records, .. } = outcome {
                            for r in &records {
                                outln!(out, "      {}", record_line(r));
                            }
                        }
                    }
                    Err(e) => outln!(out, "[{group}] {}: {e}", row.resolver),
                }
            }
        }
    }
    if as_json {
        let value = json!({
            "name": target.name.to_string(),
            "unicode": target.unicode,
            "notes": target.notes,
            "comparisons": json_rows,
        });
        print_json(&value, out);
    }
    Ok(u8::from(!all_agree))
}
