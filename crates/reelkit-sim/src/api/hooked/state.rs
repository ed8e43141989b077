//! Hooked records (videos, schedules, social searches) and the seeded state a new
//! simulator starts from.
//!
//! Seeds: completed `vid_abc123` (hooked-get-video seed, `url` on this server),
//! `vid_other_team` (403), schedules `post_published_seed` (published) and
//! `post_other_team` (another team); the catalogue (`catalogue.rs`) holds integrations
//! `int_yt_abc123` (healthy) and `int_tt_expired` (expired), templates `tpl_123`,
//! `tpl_product_launch`.

use super::super::util::unix_now;
use super::super::Timing;
use super::catalogue as cat;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::Instant;

#[derive(Clone)]
pub struct HkVideo {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub kind: &'static str,
    pub t: Timing,
    pub seq: u64,
    pub seconds: f64,
    pub fail: bool,
    pub avatar_id: Option<String>,
    pub voice_id: Option<String>,
    pub music_id: Option<String>,
    pub aspect: String,
    pub caption_preset: String,
    pub caption_disabled: bool,
    pub script: Option<String>,
    pub webhook: Option<String>,
    pub metadata: Option<Value>,
    pub other_team: bool,
    /// Seeds keep their documented timestamps.
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub thumbnail: Option<String>,
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub(super) enum VStatus {
    Started,
    Completed,
    Failed,
}

impl HkVideo {
    pub(super) fn status(&self, now: Instant) -> VStatus {
        if !self.t.done(now) {
            VStatus::Started
        } else if self.fail {
            VStatus::Failed
        } else {
            VStatus::Completed
        }
    }
}

pub struct Schedule {
    pub id: String,
    pub video_id: String,
    pub integration_id: String,
    pub scheduled_unix: f64,
    pub platform_data: Map<String, Value>,
    /// A fixed status (seeds); `None` = pending until the time passes.
    pub fixed: Option<&'static str>,
    pub created_unix: f64,
    pub updated_unix: f64,
    pub other_team: bool,
}

pub struct Search {
    pub id: String,
    pub term: String,
    pub platform: String,
    pub t: Timing,
    pub videos: Vec<Value>,
}

pub(crate) struct HookedState {
    pub(super) searches: Vec<Search>,
    pub(super) videos: HashMap<String, HkVideo>,
    pub(super) next_seq: u64,
    pub(super) schedules: Vec<Schedule>,
    pub(super) trends: Vec<Value>,
}

impl HookedState {
    pub fn seed() -> Self {
        let mut videos = HashMap::new();
        let seed = HkVideo {
            id: "vid_abc123".into(),
            project_id: "proj_abc123".into(),
            name: "Product Tutorial".into(),
            kind: "class",
            t: Timing::done_at(1_705_312_800.0),
            seq: 0,
            seconds: 300.0,
            fail: false,
            avatar_id: Some("avatar_sarah_01".into()),
            voice_id: Some("tzX5paJ07p5hyWFcU3uG".into()),
            music_id: Some("1".into()),
            aspect: "ratio_9_16".into(),
            caption_preset: "classic".into(),
            caption_disabled: false,
            script: Some("Hello! Welcome to this tutorial...".into()),
            webhook: None,
            metadata: None,
            other_team: false,
            created_at: Some("2024-01-15T10:00:00Z".into()),
            updated_at: Some("2024-01-15T10:05:00Z".into()),
            thumbnail: Some("https://cdn.tryhooked.ai/thumbnails/abc123.jpg".into()),
        };
        let other = HkVideo {
            id: "vid_other_team".into(),
            project_id: "proj_other_team".into(),
            name: "Another team's video".into(),
            created_at: Some("2024-01-16T10:00:00Z".into()),
            updated_at: Some("2024-01-16T10:05:00Z".into()),
            other_team: true,
            seq: 1,
            seconds: 30.0,
            ..seed.clone()
        };
        videos.insert(seed.id.clone(), seed);
        videos.insert(other.id.clone(), other);
        let schedules = vec![
            Schedule {
                id: "post_published_seed".into(),
                video_id: "vid_abc123".into(),
                integration_id: "int_yt_abc123".into(),
                scheduled_unix: 1_710_946_800.0,
                platform_data: json!({"title": "Product tutorial", "description": "Watch the full tutorial", "tags": ["tutorial"],
                                      "privacyStatus": "public", "madeForKids": false,
                                      "publishedUrl": "https://www.youtube.com/watch?v=abc123XYZ"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
                fixed: Some("published"),
                created_unix: 1_710_900_000.0,
                updated_unix: 1_710_946_900.0,
                other_team: false,
            },
            Schedule {
                id: "post_other_team".into(),
                video_id: "vid_other_team".into(),
                integration_id: "int_yt_abc123".into(),
                scheduled_unix: unix_now() + 365.0 * 86_400.0,
                platform_data: Map::new(),
                fixed: None,
                created_unix: 1_710_900_000.0,
                updated_unix: 1_710_900_000.0,
                other_team: true,
            },
        ];
        HookedState {
            searches: Vec::new(),
            videos,
            next_seq: 10,
            schedules,
            trends: cat::trends(),
        }
    }
}
