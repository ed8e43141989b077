//! Hoox `/script/generate` (hoox.md §3.1): validation, cost, the `SIMULATE_SCRIPT_ERROR`
//! trigger, and the deterministic script text that `/generation/start` reuses.

use super::super::credits;
use super::super::util::num;
use super::super::validate::Details;
use super::reply::flat;
use super::{Cx, SCRIPT_ERROR};
use crate::types::SimResponse;
use serde_json::{json, Map, Value};

/// A script of about `seconds` of speech (936 characters a minute) about `prompt`.
pub(super) fn make_script(prompt: &str, seconds: f64) -> String {
    let topic: String = prompt
        .chars()
        .take(80)
        .collect::<String>()
        .trim()
        .to_string();
    let target = (seconds / 60.0 * 936.0).round().max(40.0) as usize;
    let lines = [
        "Here is what most people miss.",
        "It starts with one simple idea.",
        "Once you see it, you can't unsee it.",
        "Let's break it down step by step.",
        "First, focus on what matters most.",
        "Then keep it simple and consistent.",
        "The results speak for themselves.",
        "Try it today and see the difference.",
    ];
    let mut s = format!("Did you know this about {topic}? ");
    let mut i = 0;
    while s.chars().count() + 17 < target {
        s.push_str(lines[i % lines.len()]);
        s.push(' ');
        i += 1;
    }
    s.push_str("Follow for more.");
    s
}

impl Cx<'_> {
    pub(super) fn script_generate(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = Details::default();
        let prompt = v.required_text(&b, "prompt").filter(|p| {
            let fits = p.chars().count() <= 10_000;
            if !fits {
                v.add(
                    "invalid_value",
                    "prompt must be at most 10000 characters",
                    Some("prompt"),
                );
            }
            fits
        });
        let duration = v.num_opt(&b, "duration");
        if let Some(d) = duration {
            if !(10.0..=600.0).contains(&d) {
                v.add(
                    "invalid_value",
                    "duration must be between 10 and 600 seconds",
                    Some("duration"),
                );
            }
        }
        let urls = v.url_array(
            &b,
            "urls",
            "invalid_value",
            Some((10, "urls must contain at most 10 items")),
        );
        let web_search = v.bool_opt(&b, "webSearch").unwrap_or(false);
        if !v.ok() {
            return v.into_response();
        }
        let prompt = prompt.unwrap_or_default();
        if prompt.contains(SCRIPT_ERROR) {
            return flat(500, "Failed to generate script", "SCRIPT_GENERATION_FAILED");
        }
        let duration = duration.unwrap_or(60.0);
        let cost = credits::script_cost(duration, web_search, urls.len());
        if let Err(e) = self.debit(cost, "insufficient_credits") {
            return e;
        }
        let images: Vec<String> = urls
            .iter()
            .filter_map(|u| url::Url::parse(u).ok())
            .map(|u| format!("{}/og-image.jpg", u.origin().ascii_serialization()))
            .collect();
        SimResponse::json(
            200,
            &json!({"script": make_script(&prompt, duration), "cost": num(cost), "extractedImages": images}),
        )
    }
}
