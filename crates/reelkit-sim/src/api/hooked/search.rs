//! Hooked social search (tryhooked, hooked.md §6.30–6.31): `/social/search/create` (a
//! deterministic result set for the term and platform) and `/social/search/{id}` with its
//! analytics, keywords and paged videos.

use super::super::util::{iso, new_id};
use super::super::validate::{Issues, Num};
use super::super::Timing;
use super::catalogue as cat;
use super::state::Search;
use super::{fail, ok, page, paging, Cx};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};

impl Cx<'_> {
    fn search_json(&self, s: &Search) -> Value {
        let n = s.videos.len().max(1) as f64;
        let sum = |k: &str| {
            s.videos
                .iter()
                .map(|v| v["stats"][k].as_f64().unwrap_or(0.0))
                .sum::<f64>()
        };
        let (views, likes, comments, shares) =
            (sum("views"), sum("likes"), sum("comments"), sum("shares"));
        let engagement = if views > 0.0 {
            ((likes + comments + shares) / views * 10_000.0).round() / 100.0
        } else {
            0.0
        };
        let tag = format!(
            "#{}",
            s.term.split_whitespace().collect::<String>().to_lowercase()
        );
        let keywords: Vec<&str> = s.term.split_whitespace().collect();
        json!({"id": s.id, "searchTerm": s.term, "platform": s.platform, "totalResults": s.videos.len(),
               "analytics": {"avgViews": (views / n).round(), "avgLikes": (likes / n).round(),
                             "avgComments": (comments / n).round(), "avgShares": (shares / n).round(),
                             "engagementRate": engagement},
               "topHashtags": [tag, "#fyp"], "keywords": keywords,
               "keywordsStatus": if s.t.done(self.now) { "completed" } else { "pending" },
               "lastSearched": iso(s.t.start_unix), "createdAt": iso(s.t.start_unix)})
    }

    pub(super) fn search_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut z = Issues::default();
        let term = match b.get("searchTerm") {
            Some(Value::String(t)) => {
                let t = t.trim().to_string();
                let n = t.chars().count();
                if n == 0 {
                    z.issue("searchTerm", "String must contain at least 1 character(s)");
                } else if n > 200 {
                    z.issue("searchTerm", "String must contain at most 200 character(s)");
                }
                Some(t)
            }
            _ => z.string(&b, "", "searchTerm", true, 1, 200),
        };
        let platform = z.enumv(&b, "", "platform", true, &["tiktok", "youtube"]);
        let limit = z
            .number(&b, "", "limit", false, Num::range(1.0, 50.0).int())
            .unwrap_or(20.0) as usize;
        let (Some(term), Some(platform), true) = (term, platform, z.ok()) else {
            return z.into_response();
        };
        let s = Search {
            id: new_id("search_", 16),
            videos: cat::social_videos(&term, &platform, limit),
            term,
            platform,
            t: Timing::new(self.inner.cfg.job_seconds),
        };
        let data = json!({"search": self.search_json(&s), "videosFound": s.videos.len()});
        self.st.hooked.searches.push(s);
        ok(Some("Search created successfully"), data)
    }

    pub(super) fn search_get(&mut self, req: &SimRequest, id: &str) -> SimResponse {
        let (limit, offset) = match paging(req, 20, 50) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let Some(s) = self.st.hooked.searches.iter().find(|s| s.id == id) else {
            return fail(404, "Search not found", Some("SEARCH_NOT_FOUND"));
        };
        let mut data = self.search_json(s);
        let total = s.videos.len() as u64;
        data["music"] = json!([]);
        data["videos"] = Value::Array(page(&s.videos, limit, offset));
        data["pagination"] = json!({"total": total, "limit": limit, "offset": offset, "hasMore": offset + limit < total});
        ok(Some("Search fetched successfully"), data)
    }
}
