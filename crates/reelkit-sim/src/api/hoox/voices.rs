//! Hoox voices: `/voice/list` (with its filters), `/voice/{id}`, and the legacy
//! `/resources/voices` (hoox.md §3.7–3.8).

use super::super::util::{csv_lower, truthy};
use super::reply::combo;
use super::state::Voice;
use super::Cx;
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Value};

fn voice_json(v: &Voice, legacy: bool) -> Value {
    let preview = format!("https://cdn.hoox.video/voices/{}.mp3", v.id);
    if legacy {
        json!({"id": v.id, "name": v.name, "language": v.language, "accent": v.accent, "gender": v.gender, "tags": v.tags, "preview": preview})
    } else {
        json!({"id": v.id, "name": v.name, "language": v.language, "accent": v.accent, "gender": v.gender, "tags": v.tags,
               "preview": preview, "source": if v.space { "space" } else { "config" }})
    }
}

impl Cx<'_> {
    pub(super) fn voice_list(&mut self, req: &SimRequest, legacy: bool) -> SimResponse {
        let language = req
            .query_param("language")
            .map(|s| s.trim().to_ascii_lowercase());
        let gender = req
            .query_param("gender")
            .map(|s| s.trim().to_ascii_lowercase());
        let tags = req.query_param("tags").map(csv_lower).unwrap_or_default();
        let only_public = req.query_param("onlyPublic").is_some_and(truthy);
        let items: Vec<Value> = self
            .st
            .hoox
            .voices
            .iter()
            .filter(|v| !(only_public && v.space))
            .filter(|v| {
                language
                    .as_ref()
                    .is_none_or(|l| l.is_empty() || v.language.eq_ignore_ascii_case(l))
            })
            .filter(|v| {
                gender
                    .as_ref()
                    .is_none_or(|g| g.is_empty() || v.gender == *g)
            })
            .filter(|v| {
                tags.is_empty()
                    || v.tags
                        .iter()
                        .any(|t| tags.contains(&t.to_ascii_lowercase()))
            })
            .map(|v| voice_json(v, legacy))
            .collect();
        SimResponse::json(200, &Value::Array(items))
    }

    pub(super) fn voice_get(&mut self, id: &str) -> SimResponse {
        match self.st.hoox.voices.iter().find(|v| v.id == id) {
            Some(v) => SimResponse::json(200, &voice_json(v, false)),
            None => combo(404, "Voice not found", "VOICE_NOT_FOUND", None),
        }
    }
}
