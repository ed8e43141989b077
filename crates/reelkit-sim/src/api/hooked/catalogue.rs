//! Hooked catalogue (hooked.md §6.3–6.7, §6.26–6.29): the seed avatars (library + one
//! custom), voices (ElevenLabs-like ids), music, templates, niches, deterministic trending
//! videos and integrations (one `healthy` YouTube channel, one `expired` TikTok account),
//! and the list endpoints that serve them.

use super::super::rules::HOOKED_AVATAR_TYPES;
use super::super::util::iso;
use super::{bad_query_enum, fail, ok, page, paging, Cx};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Value};

/// (id, name, type, gender, age, isCustom, isPro, isHD)
pub type AvatarRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    bool,
    bool,
);

pub const AVATARS: &[AvatarRow] = &[
    (
        "avt_sophia",
        "Sophia",
        "Realistic",
        "Female",
        "Young",
        false,
        false,
        true,
    ),
    (
        "avatar_sarah_01",
        "Sarah",
        "Realistic",
        "Female",
        "Middle-aged",
        false,
        false,
        true,
    ),
    (
        "avt_marcus",
        "Marcus",
        "Realistic",
        "Male",
        "Middle-aged",
        false,
        true,
        true,
    ),
    (
        "avt_daniel",
        "Daniel",
        "Realistic",
        "Male",
        "Young",
        false,
        false,
        false,
    ),
    (
        "avt_ruth",
        "Ruth",
        "Realistic",
        "Female",
        "Senior",
        false,
        true,
        true,
    ),
    ("avt_leo", "Leo", "AI", "Male", "Young", false, false, true),
    (
        "avt_nova",
        "Nova",
        "AI",
        "Non-binary",
        "Young",
        false,
        true,
        false,
    ),
    (
        "avt_custom_founder",
        "Our Founder",
        "Realistic",
        "Male",
        "Middle-aged",
        true,
        false,
        true,
    ),
];

pub fn avatar_json(a: &AvatarRow) -> Value {
    json!({"id": a.0, "name": a.1, "type": a.2, "gender": a.3, "age": a.4,
           "thumbnail": format!("https://cdn.hooked.so/avatars/{}.jpg", a.0),
           "isCustom": a.5, "isPro": a.6, "isHD": a.7,
           "previewUrl": format!("https://cdn.hooked.so/avatars/{}.mp4", a.0)})
}

pub fn avatar_exists(id: &str) -> bool {
    AVATARS.iter().any(|a| a.0 == id)
}

/// (id, name, gender, language, accent)
pub const VOICES: &[(&str, &str, &str, &str, &str)] = &[
    ("tzX5paJ07p5hyWFcU3uG", "Rachel", "Female", "en", "American"),
    ("pNInz6obpgDQGcFmaJgB", "Adam", "Male", "en", "American"),
    ("EXAVITQu4vr4xnSDxMaL", "Bella", "Female", "en", "British"),
    ("VR6AewLTigWG4xSOukaG", "Arnold", "Male", "en", "American"),
    (
        "XrExE9yKIg1WjnnlVkGX",
        "Matilda",
        "Female",
        "es",
        "Castilian",
    ),
    ("onwK4e9ZLuTAKqWW03F9", "Daniel", "Male", "fr", "Parisian"),
];

pub fn voices_json() -> Value {
    let v: Vec<Value> = VOICES
        .iter()
        .map(|v| {
            // `category` as in the cassette of the (undocumented) list: ElevenLabs' label.
            json!({"id": v.0, "name": v.1, "gender": v.2, "language": v.3, "accent": v.4,
                   "previewUrl": format!("https://cdn.hooked.so/voices/{}.mp3", v.0),
                   "category": "premade"})
        })
        .collect();
    json!({"voices": v})
}

/// (id, name, genre, mood, seconds)
pub const MUSIC: &[(&str, &str, &str, &str, u32)] = &[
    ("1", "Upbeat Pop", "pop", "happy", 120),
    ("2", "Chill Lo-fi", "lofi", "calm", 150),
    ("3", "Epic Trailer", "cinematic", "epic", 95),
    ("4", "Corporate Inspire", "corporate", "inspiring", 130),
    ("5", "Trap Energy", "hiphop", "energetic", 110),
];

pub fn music_json() -> Value {
    let v: Vec<Value> = MUSIC
        .iter()
        .map(|m| {
            json!({"id": m.0, "name": m.1, "genre": m.2, "mood": m.3, "duration": m.4,
                   "previewUrl": format!("https://cdn.hooked.so/music/{}.mp3", m.0)})
        })
        .collect();
    json!({"music": v})
}

pub const TEMPLATE_IDS: &[&str] = &["tpl_123", "tpl_product_launch"];

pub fn template_json(id: &str, detail: bool) -> Option<Value> {
    let (name, preset, script, vars) = match id {
        "tpl_123" => (
            "Weekly promo",
            "classic",
            "Hi {{name}}, check out {{product}}!",
            json!([{"key": "name", "value": "Alex", "type": "text"}, {"key": "product", "value": "Hooked", "type": "text"}]),
        ),
        "tpl_product_launch" => (
            "Product launch",
            "tiktok",
            "Meet {{product}}: the fastest way to {{benefit}}.",
            json!([{"key": "product", "value": "Hooked", "type": "text"}, {"key": "benefit", "value": "make videos", "type": "text"}]),
        ),
        _ => return None,
    };
    let mut t = json!({
        "id": id, "name": name, "type": "class",
        "thumbnail": format!("https://cdn.hooked.so/templates/{id}.jpg"),
        "isTemplate": true,
        "videoSettings": {"aspectRatio": "ratio_9_16", "caption": {"enabled": true, "preset": preset, "alignment": "bottom"}},
        "scenes": [{"script": script, "variables": vars,
                    "avatar": {"id": "avt_sophia", "topLeft": {"x": 0, "y": 0}, "bottomRight": {"x": 1080, "y": 1920}},
                    "voiceId": "tzX5paJ07p5hyWFcU3uG"}]
    });
    if detail {
        t["webhook"] = Value::Null;
        t["createdAt"] = json!("2024-01-10T09:00:00.000Z");
    }
    Some(t)
}

pub const NICHES: &[(&str, &str)] = &[
    ("fitness", "Fitness"),
    ("beauty", "Beauty & Skincare"),
    ("finance", "Personal Finance"),
    ("tech", "Tech & Gadgets"),
    ("food", "Food & Cooking"),
    ("travel", "Travel"),
];

pub fn niches_json() -> Value {
    let v: Vec<Value> = NICHES
        .iter()
        .map(|n| json!({"id": n.0, "name": n.1}))
        .collect();
    json!({"niches": v})
}

/// 36 deterministic trending videos, alternating TikTok / YouTube across the niches.
pub fn trends() -> Vec<Value> {
    (0..36u64)
        .map(|i| {
            let platform = if i % 2 == 0 { "tiktok" } else { "youtube" };
            let niche = NICHES[(i as usize) % NICHES.len()];
            let views = 50_000 + (i * 7919 % 100) * 25_000;
            let likes = views / 12;
            let comments = views / 150;
            let shares = views / 300;
            let ext = format!("{}{:09}", if platform == "tiktok" { "73" } else { "yt" }, 100_000 + i * 37);
            json!({
                "id": format!("trend_{:03}", i + 1),
                "externalId": ext,
                "platform": platform,
                "niche": niche.0,
                "title": format!("{} trend #{}", niche.1, i + 1),
                "description": format!("Why everyone is talking about this {} hack", niche.1.to_lowercase()),
                "thumbnailUrl": format!("https://cdn.hooked.so/trends/{}.jpg", i + 1),
                "videoUrl": if platform == "tiktok" {
                    format!("https://www.tiktok.com/@creator{}/video/{}", i % 7, ext)
                } else {
                    format!("https://www.youtube.com/shorts/{ext}")
                },
                "duration": 15 + (i % 6) * 8,
                "creator": {"username": format!("creator{}", i % 7), "displayName": format!("Creator {}", i % 7),
                            "avatarUrl": format!("https://cdn.hooked.so/creators/{}.jpg", i % 7),
                            "followers": 10_000 + (i % 7) * 150_000, "isVerified": i % 3 == 0},
                "stats": {"views": views, "likes": likes, "comments": comments, "shares": shares},
                "viralScore": 40 + (i * 13 % 60),
                "engagementRate": ((likes + comments + shares) as f64 / views as f64 * 10_000.0).round() / 100.0,
                "hashtags": [format!("#{}", niche.0), "#fyp", "#viral"],
                "publishedAt": iso(1_767_225_600.0 + (i as f64) * 86_400.0),
            })
        })
        .collect()
}

/// (id, type, identifier, name, username, health)
pub type IntegrationRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

pub const INTEGRATIONS: &[IntegrationRow] = &[
    (
        "int_yt_abc123",
        "youtube",
        "UC1234567890",
        "My YouTube Channel",
        "mychannel",
        "healthy",
    ),
    (
        "int_tt_expired",
        "tiktok",
        "tt_998877",
        "My TikTok",
        "mytiktok",
        "expired",
    ),
];

pub fn integration(id: &str) -> Option<&'static IntegrationRow> {
    INTEGRATIONS.iter().find(|i| i.0 == id)
}

pub fn integration_account(i: &IntegrationRow) -> Value {
    let avatar = if i.1 == "youtube" {
        "https://yt3.ggpht.com/mychannel.jpg".to_string()
    } else {
        format!("https://cdn.hooked.so/integrations/{}.jpg", i.0)
    };
    json!({"id": i.2, "name": i.3, "username": i.4, "avatarUrl": avatar})
}

pub fn integration_json(i: &IntegrationRow) -> Value {
    json!({"id": i.0, "type": i.1, "identifier": i.2, "account": integration_account(i),
           "health": {"status": i.5, "tokenValid": i.5 == "healthy", "lastChecked": "2024-03-15T10:00:00.000Z"},
           "createdAt": "2024-01-15T08:30:00.000Z"})
}

/// Deterministic results of a social search for `term` on `platform` (hooked.md §6.31).
pub fn social_videos(term: &str, platform: &str, n: usize) -> Vec<Value> {
    let seed = term.bytes().fold(1469598103934665603u64, |h, b| {
        (h ^ b as u64).wrapping_mul(1099511628211)
    });
    let tag = term.split_whitespace().collect::<String>().to_lowercase();
    (0..n as u64)
        .map(|i| {
            let x = seed.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let views = 10_000 + x % 2_000_000;
            let likes = views / (8 + x % 10);
            let comments = views / (100 + x % 50);
            let shares = views / (200 + x % 100);
            let ext = format!("{}{:010}", if platform == "tiktok" { "74" } else { "yt" }, x % 10_000_000_000);
            json!({
                "id": format!("sv_{:016x}", x),
                "externalId": ext,
                "platform": platform,
                "title": format!("{term} tips #{}", i + 1),
                "description": format!("My honest take on {term} #{tag} #fyp"),
                "thumbnailUrl": format!("https://cdn.hooked.so/social/{:016x}.jpg", x),
                "videoUrl": if platform == "tiktok" {
                    format!("https://www.tiktok.com/@user{}/video/{ext}", x % 97)
                } else {
                    format!("https://www.youtube.com/shorts/{ext}")
                },
                "duration": 10 + x % 50,
                "creator": {"username": format!("user{}", x % 97), "displayName": format!("User {}", x % 97),
                            "avatarUrl": format!("https://cdn.hooked.so/creators/u{}.jpg", x % 97),
                            "followers": 1_000 + x % 900_000, "isVerified": x % 5 == 0},
                "stats": {"views": views, "likes": likes, "comments": comments, "shares": shares},
                "viralScore": 30 + x % 70,
                "engagementRate": ((likes + comments + shares) as f64 / views as f64 * 10_000.0).round() / 100.0,
                "hashtags": [format!("#{tag}"), "#fyp"],
                "music": {"title": "original sound", "artist": format!("user{}", x % 97)},
                "publishedAt": iso(1_767_225_600.0 + (x % 10_000_000) as f64),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// List endpoints

/// `/avatar/list?type=all|library|custom`.
pub(super) fn avatar_list(req: &SimRequest) -> SimResponse {
    let ty = req.query_param("type").unwrap_or("all");
    if !HOOKED_AVATAR_TYPES.contains(&ty) {
        return bad_query_enum("type", HOOKED_AVATAR_TYPES, ty);
    }
    let avatars: Vec<Value> = AVATARS
        .iter()
        .filter(|a| ty == "all" || (ty == "custom") == a.5)
        .map(avatar_json)
        .collect();
    ok(
        Some("Avatars fetched successfully"),
        json!({"avatars": avatars}),
    )
}

pub(super) fn template_list() -> SimResponse {
    let t: Vec<Value> = TEMPLATE_IDS
        .iter()
        .filter_map(|id| template_json(id, false))
        .collect();
    ok(
        Some("Templates fetched successfully"),
        json!({"templates": t}),
    )
}

pub(super) fn template_get(id: &str) -> SimResponse {
    match template_json(id, true) {
        Some(t) => ok(Some("Template fetched successfully"), t),
        None => fail(404, "Template not found", Some("TEMPLATE_NOT_FOUND")),
    }
}

pub(super) fn integration_list() -> SimResponse {
    let list: Vec<Value> = INTEGRATIONS.iter().map(integration_json).collect();
    ok(
        Some("Integrations fetched successfully"),
        json!({"integrations": list}),
    )
}

pub(super) fn integration_get(id: &str) -> SimResponse {
    match integration(id) {
        Some(i) => ok(None, integration_json(i)),
        None => fail(404, "Integration not found", Some("INTEGRATION_NOT_FOUND")),
    }
}

impl Cx<'_> {
    /// `/trends/videos`, filtered by platform and niche (`all` or empty: any), paged.
    pub(super) fn trends(&mut self, req: &SimRequest) -> SimResponse {
        let platform = req
            .query_param("platform")
            .filter(|s| !s.is_empty() && *s != "all");
        if let Some(p) = platform.filter(|p| *p != "tiktok" && *p != "youtube") {
            return bad_query_enum("platform", &["tiktok", "youtube"], p);
        }
        let niche = req
            .query_param("niche")
            .filter(|s| !s.is_empty() && *s != "all");
        let (limit, offset) = match paging(req, 20, 50) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let items: Vec<&Value> = self
            .st
            .hooked
            .trends
            .iter()
            .filter(|v| platform.is_none_or(|p| v["platform"] == p))
            .filter(|v| niche.is_none_or(|n| v["niche"] == n))
            .collect();
        let total = items.len();
        let videos: Vec<Value> = page(&items, limit, offset).into_iter().cloned().collect();
        ok(
            Some("Trending videos fetched successfully"),
            json!({"videos": videos, "total": total, "limit": limit, "offset": offset}),
        )
    }
}
