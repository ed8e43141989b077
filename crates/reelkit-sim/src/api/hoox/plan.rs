//! Hoox `sequence_plan` (hoox.md §3.2): the schema of speech blocks and sequences, the
//! spoken length and text it implies, and the voice, look and avatar ids to resolve.

use super::super::credits;
use super::super::rules::HOOX_MEDIA_SHOW;
use super::super::validate::present;
use serde_json::{Map, Value};

/// The field and message of a plan's first problem.
type Problem = (String, String);

fn problem(field: impl Into<String>, message: &str) -> Problem {
    (field.into(), message.into())
}

/// A parsed plan.
#[derive(Default)]
pub(super) struct Plan {
    pub seconds: f64,
    pub text: String,
    /// (field, id) pairs to resolve.
    pub voices: Vec<(String, String)>,
    pub looks: Vec<(String, String)>,
    pub avatars: Vec<(String, String)>,
    /// Characters of spoken text (their speech time is added at the end).
    chars: usize,
}

/// The plan: an array of speech blocks, or `{"audio_groups": [...]}`.
pub(super) fn parse_plan(p: &Value, voice: Option<&str>) -> Result<Plan, Problem> {
    let blocks = match p {
        Value::Array(a) => Some(a),
        Value::Object(o) => match o.get("audio_groups") {
            Some(Value::Array(a)) => Some(a),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| {
        problem(
            "sequence_plan",
            "sequence_plan must be an array of speech blocks",
        )
    })?;
    if blocks.is_empty() {
        return Err(problem(
            "sequence_plan",
            "sequence_plan must contain at least one block",
        ));
    }
    let mut plan = Plan::default();
    for (i, block) in blocks.iter().enumerate() {
        plan.add_block(&format!("sequence_plan[{i}]"), block, voice)?;
    }
    plan.seconds += credits::script_seconds(plan.chars);
    Ok(plan)
}

impl Plan {
    /// One speech block at `bf`; a spoken block needs a voice (its own or the request's)
    /// unless it brings its own `audio_url`.
    fn add_block(&mut self, bf: &str, block: &Value, voice: Option<&str>) -> Result<(), Problem> {
        let Some(bo) = block.as_object() else {
            return Err(problem(bf, "each block must be an object"));
        };
        let str_field = |k: &str| -> Result<Option<String>, Problem> {
            match present(bo, k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err((format!("{bf}.{k}"), format!("{k} must be a string"))),
            }
        };
        let b_voice = str_field("voice_id")?;
        let b_avatar = str_field("avatar_id")?;
        let b_look = str_field("look_id")?;
        let audio = str_field("audio_url")?;
        let seqs = match present(bo, "sequences") {
            Some(Value::Array(seqs)) if !seqs.is_empty() => seqs,
            _ => {
                return Err(problem(
                    format!("{bf}.sequences"),
                    "sequences must be a non-empty array",
                ))
            }
        };
        let mut spoken = false;
        for (j, seq) in seqs.iter().enumerate() {
            spoken |= self.add_sequence(&format!("{bf}.sequences[{j}]"), seq, seqs.len())?;
        }
        if spoken && audio.is_none() {
            match b_voice.as_deref().or(voice) {
                Some(v) => self.voices.push((format!("{bf}.voice_id"), v.to_string())),
                None => {
                    return Err(problem(
                        format!("{bf}.voice_id"),
                        "voice_id is required for spoken blocks",
                    ))
                }
            }
        }
        if let Some(l) = b_look {
            self.looks.push((format!("{bf}.look_id"), l));
        }
        if let Some(a) = b_avatar {
            self.avatars.push((format!("{bf}.avatar_id"), a));
        }
        Ok(())
    }

    /// One sequence at `sf` (one of `siblings` in its block); `true` when it is spoken.
    fn add_sequence(&mut self, sf: &str, seq: &Value, siblings: usize) -> Result<bool, Problem> {
        let Some(so) = seq.as_object() else {
            return Err(problem(sf, "each sequence must be an object"));
        };
        let spoken = match so.get("text") {
            Some(Value::String(t)) => {
                self.chars += t.chars().count();
                self.text.push_str(t);
                self.text.push(' ');
                true
            }
            Some(Value::Null) => {
                let Some(ms) = so
                    .get("duration_ms")
                    .and_then(Value::as_f64)
                    .filter(|m| *m > 0.0)
                else {
                    return Err(problem(
                        format!("{sf}.duration_ms"),
                        "silent sequences need a positive duration_ms",
                    ));
                };
                if siblings != 1 {
                    return Err(problem(sf, "a silent sequence must be alone in its block"));
                }
                self.seconds += ms / 1000.0;
                false
            }
            _ => {
                return Err(problem(
                    format!("{sf}.text"),
                    "text is required (string or null)",
                ))
            }
        };
        match present(so, "look_id") {
            None => {}
            Some(Value::String(l)) => self.looks.push((format!("{sf}.look_id"), l.clone())),
            Some(_) => return Err(problem(format!("{sf}.look_id"), "look_id must be a string")),
        }
        if let Some(m) = present(so, "media") {
            check_media(sf, m)?;
        }
        Ok(spoken)
    }
}

/// A sequence's `media`: an object with `asset_id` or `url`, and a known `show`.
fn check_media(sf: &str, m: &Value) -> Result<(), Problem> {
    let Some(mo): Option<&Map<String, Value>> = m.as_object() else {
        return Err(problem(format!("{sf}.media"), "media must be an object"));
    };
    if present(mo, "asset_id").is_none() && present(mo, "url").is_none() {
        return Err(problem(
            format!("{sf}.media"),
            "media needs asset_id or url",
        ));
    }
    if let Some(show) = present(mo, "show") {
        if !show.as_str().is_some_and(|s| HOOX_MEDIA_SHOW.contains(&s)) {
            return Err(problem(
                format!("{sf}.media.show"),
                "show must be one of: full, half, background, hide",
            ));
        }
    }
    Ok(())
}
