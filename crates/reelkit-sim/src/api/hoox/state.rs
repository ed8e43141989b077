//! Hoox records (voices, avatars and looks, generation and export jobs, videos, assets,
//! folders) and the seeded state a new simulator starts from.
//!
//! Seeds (besides the catalogue of `catalog.rs`): done videos `vid_seed_done` (image
//! look `look_123`, 30 s), `vid_seed_no_avatar`, `vid_seed_veo3` (`use_veo3`),
//! `vid_seed_video_look` (video-based look `look_alex_video`), `vid_seed_export_fails`
//! (its exports fail); `vid_seed_processing` (never done: `VIDEO_NOT_READY`);
//! `vid_other_space` and job `run_other_space` (another space: 403); folders
//! `662f8c1d3a4b5e6f70123456` (assets, "Summer Campaign") with subfolder
//! `662f8c1d3a4b5e6f70987654`, and `662f8c1d3a4b5e6f70abcdef` (videos).

use super::super::util::{new_id, unix_now};
use super::super::Timing;
use super::catalog as cat;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::time::Instant;

pub struct Voice {
    pub id: String,
    pub name: String,
    pub language: String,
    pub accent: String,
    pub gender: String,
    pub tags: Vec<String>,
    pub space: bool,
}

pub struct LookGen {
    pub t: Timing,
    pub fail: bool,
}

pub struct Look {
    pub id: String,
    pub avatar_id: String,
    pub name: String,
    pub place: Option<String>,
    pub accessories: Vec<String>,
    pub action: Option<String>,
    pub emotion: Option<String>,
    pub selfie: bool,
    pub format: String,
    pub tags: Vec<String>,
    /// Video-based look: has a preview and only the `standard` model.
    pub video: bool,
    pub gen: Option<LookGen>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LookStatus {
    Pending,
    Processing,
    Ready,
    Error,
}

impl Look {
    /// A new look of `avatar_id`: ready, image-based, without accessories, action,
    /// emotion or tags; the caller sets the rest.
    pub(super) fn blank(avatar_id: &str) -> Look {
        Look {
            id: new_id("look_", 12),
            avatar_id: avatar_id.into(),
            name: String::new(),
            place: None,
            accessories: vec![],
            action: None,
            emotion: None,
            selfie: false,
            format: String::new(),
            tags: vec![],
            video: false,
            gen: None,
        }
    }

    pub fn status(&self, now: Instant) -> LookStatus {
        match &self.gen {
            None => LookStatus::Ready,
            Some(g) => {
                let f = g.t.fraction(now);
                if f >= 1.0 {
                    if g.fail {
                        LookStatus::Error
                    } else {
                        LookStatus::Ready
                    }
                } else if f < 0.15 {
                    LookStatus::Pending
                } else {
                    LookStatus::Processing
                }
            }
        }
    }

    pub(super) fn model_available(&self) -> Value {
        if self.video {
            json!(["standard"])
        } else {
            json!(cat::IMAGE_LOOK_MODELS)
        }
    }
}

pub struct Avatar {
    pub id: String,
    pub name: Option<String>,
    pub gender: Option<String>,
    pub age: Option<String>,
    pub age_range: Option<String>,
    pub ethnicity: Option<String>,
    pub hair_color: Option<String>,
    pub looks: Vec<String>,
    pub space: bool,
    pub created_unix: Option<f64>,
}

pub struct GenJob {
    pub id: String,
    pub t: Timing,
    pub cost: f64,
    pub fail: bool,
    pub video_id: String,
    pub steps: Vec<&'static str>,
}

pub struct HVideo {
    pub id: String,
    pub other_space: bool,
    /// The generation's timing; the video is `done` once it is over (and did not fail).
    pub ready: Timing,
    pub gen_failed: bool,
    pub never_ready: bool,
    pub look_id: Option<String>,
    pub has_avatar: bool,
    pub use_veo3: bool,
    pub duration: f64,
    pub format: String,
    pub width: Option<f64>,
    pub height: Option<f64>,
    pub voice_id: Option<String>,
    pub script: String,
    pub export_fails: bool,
}

/// What a video is to the routes that need a finished one (export, duplicate).
#[derive(PartialEq, Eq, Debug)]
pub(super) enum VState {
    Missing,
    Processing,
    Done,
}

impl HVideo {
    pub(super) fn state(&self, now: Instant) -> VState {
        if self.gen_failed && self.ready.done(now) {
            VState::Missing
        } else if self.never_ready || !self.ready.done(now) {
            VState::Processing
        } else {
            VState::Done
        }
    }
}

pub struct ExportJob {
    pub id: String,
    pub t: Timing,
    pub video_id: String,
    pub cost: f64,
    pub fail: bool,
}

pub struct Asset {
    pub id: String,
    pub t: Timing,
    pub kind: &'static str,
    pub model: &'static str,
    pub prompt: String,
    pub aspect_ratio: Option<String>,
    pub resolution: Option<&'static str>,
    pub duration: Option<u32>,
    pub cost: f64,
    pub fail: bool,
    pub width: u32,
    pub height: u32,
}

pub struct Folder {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub created_unix: f64,
}

pub(crate) struct HooxState {
    pub(super) voices: Vec<Voice>,
    pub(super) avatars: Vec<Avatar>,
    pub(super) looks: HashMap<String, Look>,
    pub(super) gens: HashMap<String, GenJob>,
    pub(super) videos: HashMap<String, HVideo>,
    pub(super) exports: HashMap<String, ExportJob>,
    pub(super) assets: HashMap<String, Asset>,
    pub(super) folders: Vec<Folder>,
    pub(super) other_space_jobs: HashSet<String>,
}

impl HooxState {
    pub fn seed() -> Self {
        let (avatars, looks) = seed_avatars();
        HooxState {
            voices: seed_voices(),
            avatars,
            looks,
            gens: HashMap::new(),
            videos: seed_videos(unix_now()),
            exports: HashMap::new(),
            assets: HashMap::new(),
            folders: seed_folders(),
            other_space_jobs: ["run_other_space".to_string()].into_iter().collect(),
        }
    }

    pub(super) fn avatar(&self, id: &str) -> Option<&Avatar> {
        self.avatars.iter().find(|a| a.id == id)
    }
}

fn seed_voices() -> Vec<Voice> {
    cat::VOICES
        .iter()
        .map(|v| Voice {
            id: v.id.into(),
            name: v.name.into(),
            language: v.language.into(),
            accent: v.accent.into(),
            gender: v.gender.into(),
            tags: v.tags.iter().map(|t| t.to_string()).collect(),
            space: v.space,
        })
        .collect()
}

/// The catalogue's avatars, and their looks by id.
fn seed_avatars() -> (Vec<Avatar>, HashMap<String, Look>) {
    let mut avatars = Vec::new();
    let mut looks = HashMap::new();
    for a in cat::AVATARS {
        avatars.push(Avatar {
            id: a.id.into(),
            name: Some(a.name.into()),
            gender: Some(a.gender.into()),
            age: Some(a.age.into()),
            age_range: Some(a.age_range.into()),
            ethnicity: Some(a.ethnicity.into()),
            hair_color: Some(a.hair_color.into()),
            looks: a.looks.iter().map(|l| l.id.to_string()).collect(),
            space: a.space,
            created_unix: Some(1_705_314_600.0),
        });
        for l in a.looks {
            looks.insert(
                l.id.to_string(),
                Look {
                    id: l.id.into(),
                    avatar_id: a.id.into(),
                    name: l.name.into(),
                    place: Some(l.place.into()),
                    accessories: l.accessories.iter().map(|s| s.to_string()).collect(),
                    action: Some(l.action.into()),
                    emotion: Some(l.emotion.into()),
                    selfie: l.selfie,
                    format: l.format.into(),
                    tags: l.tags.iter().map(|s| s.to_string()).collect(),
                    video: l.video,
                    gen: None,
                },
            );
        }
    }
    (avatars, looks)
}

/// Done, failing-export, never-ready and other-space videos, done a day before `now`.
fn seed_videos(now: f64) -> HashMap<String, HVideo> {
    let done = Timing::done_at(now - 86_400.0);
    let video = |id: &str, look: Option<&str>, video_look: bool| HVideo {
        id: id.into(),
        other_space: false,
        ready: done,
        gen_failed: false,
        never_ready: false,
        look_id: look.map(str::to_string),
        has_avatar: look.is_some(),
        use_veo3: false,
        duration: 30.0,
        format: "vertical".into(),
        width: None,
        height: None,
        voice_id: Some("voice_en_us_female_sarah".into()),
        script: if video_look {
            "A seeded video rendered with a video-based look.".into()
        } else {
            "Stop scrolling. Here are three habits that will change your mornings.".into()
        },
        export_fails: false,
    };
    let mut videos = HashMap::new();
    let mut add = |v: HVideo| {
        videos.insert(v.id.clone(), v);
    };
    add(video("vid_seed_done", Some("look_123"), false));
    add(video("vid_seed_no_avatar", None, false));
    add(HVideo {
        use_veo3: true,
        ..video("vid_seed_veo3", Some("look_123"), false)
    });
    add(video("vid_seed_video_look", Some("look_alex_video"), true));
    add(HVideo {
        export_fails: true,
        ..video("vid_seed_export_fails", Some("look_123"), false)
    });
    add(HVideo {
        never_ready: true,
        ..video("vid_seed_processing", Some("look_123"), false)
    });
    add(HVideo {
        other_space: true,
        ..video("vid_other_space", Some("look_123"), false)
    });
    videos
}

fn seed_folders() -> Vec<Folder> {
    vec![
        Folder {
            id: "662f8c1d3a4b5e6f70123456".into(),
            name: "Summer Campaign".into(),
            kind: "assets".into(),
            parent: None,
            created_unix: 1_781_863_200.0,
        },
        Folder {
            id: "662f8c1d3a4b5e6f70987654".into(),
            name: "Hero shots".into(),
            kind: "assets".into(),
            parent: Some("662f8c1d3a4b5e6f70123456".into()),
            created_unix: 1_781_863_500.0,
        },
        Folder {
            id: "662f8c1d3a4b5e6f70abcdef".into(),
            name: "Client videos".into(),
            kind: "videos".into(),
            parent: None,
            created_unix: 1_781_863_800.0,
        },
    ]
}
