//! Hoox asset-generation models (hoox.md §3.15–3.17, §6): the catalogue with the
//! simulator's pricing parameters, the `/asset/models` summaries and details with their
//! `input_schema`, and price quotes.

use super::super::util::{num, round2};
use serde_json::{json, Map, Value};

/// A per-model setting of `/asset/models/{name}`.
pub struct SettingSeed {
    pub key: &'static str,
    pub kind: &'static str,
    pub label: &'static str,
    /// `true`/`false` for booleans, else the default option.
    pub default: &'static str,
    pub affects_cost: bool,
    pub options: &'static [&'static str],
}

/// One asset-generation model (hoox.md §6), with the simulator's pricing parameters:
/// `base_cost` at the defaults, scaled linearly by duration / default duration, by the
/// resolution multiplier, by `audio_off` when `generateAudio` is false, by the quality
/// multiplier (`low` 0.5, `high` 2) and by `image_count` for per-image models.
pub struct AssetModel {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub provider: &'static str,
    pub tags: &'static [&'static str],
    pub base_cost: f64,
    pub has_audio: bool,
    pub max_resolution: Option<&'static str>,
    pub required_plans: &'static [&'static str],
    pub min_images: u32,
    pub max_images: u32,
    pub aspect_ratios: &'static [&'static str],
    pub default_aspect: Option<&'static str>,
    pub resolutions: &'static [(&'static str, f64)],
    pub default_resolution: Option<&'static str>,
    pub durations: &'static [u32],
    pub default_duration: Option<u32>,
    /// Named slots: (name, required, media kind).
    pub slots: &'static [(&'static str, bool, &'static str)],
    pub settings: &'static [SettingSeed],
    pub max_prompt_length: Option<u32>,
    pub audio_off: Option<f64>,
    pub per_image: bool,
}

const GEN_AUDIO_ON: SettingSeed = SettingSeed {
    key: "generateAudio",
    kind: "boolean",
    label: "audio",
    default: "true",
    affects_cost: true,
    options: &[],
};
const GEN_AUDIO_OFF: SettingSeed = SettingSeed {
    key: "generateAudio",
    kind: "boolean",
    label: "audio",
    default: "false",
    affects_cost: true,
    options: &[],
};
const R3_15: &[u32] = &[3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const R4_15: &[u32] = &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const R1_15: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

pub const ASSET_MODELS: &[AssetModel] = &[
    AssetModel {
        name: "veo-3.1",
        label: "Veo 3.1",
        kind: "video",
        provider: "google",
        tags: &["text-to-video", "image-to-video"],
        base_cost: 32.0,
        has_audio: true,
        max_resolution: Some("4k"),
        required_plans: &[],
        min_images: 0,
        max_images: 1,
        aspect_ratios: &["16:9", "9:16"],
        default_aspect: Some("9:16"),
        resolutions: &[("720p", 1.0), ("1080p", 2.5), ("4K", 3.75)],
        default_resolution: Some("720p"),
        durations: &[4, 6, 8],
        default_duration: Some(8),
        slots: &[],
        settings: &[GEN_AUDIO_ON],
        max_prompt_length: None,
        audio_off: Some(0.5),
        per_image: false,
    },
    AssetModel {
        name: "veo-3.1-lite",
        label: "Veo 3.1 Lite",
        kind: "video",
        provider: "google",
        tags: &["text-to-video", "image-to-video", "new"],
        base_cost: 4.0,
        has_audio: true,
        max_resolution: Some("1080p"),
        required_plans: &[],
        min_images: 0,
        max_images: 1,
        aspect_ratios: &["16:9", "9:16"],
        default_aspect: Some("9:16"),
        resolutions: &[("720p", 1.0), ("1080p", 2.0)],
        default_resolution: Some("720p"),
        durations: &[4, 6, 8],
        default_duration: Some(8),
        slots: &[],
        settings: &[GEN_AUDIO_ON],
        max_prompt_length: None,
        audio_off: Some(0.5),
        per_image: false,
    },
    AssetModel {
        name: "veo-3.1-flf",
        label: "Veo 3.1 First/Last Frame",
        kind: "video",
        provider: "google",
        tags: &["first-last-frames", "image-to-video"],
        base_cost: 32.0,
        has_audio: true,
        max_resolution: Some("1080p"),
        required_plans: &[],
        min_images: 0,
        max_images: 0,
        aspect_ratios: &["16:9", "9:16"],
        default_aspect: Some("9:16"),
        resolutions: &[("720p", 1.0), ("1080p", 2.5)],
        default_resolution: Some("720p"),
        durations: &[4, 6, 8],
        default_duration: Some(8),
        slots: &[
            ("first_frame", true, "image"),
            ("last_frame", true, "image"),
        ],
        settings: &[GEN_AUDIO_ON],
        max_prompt_length: None,
        audio_off: Some(0.5),
        per_image: false,
    },
    AssetModel {
        name: "kling-pro",
        label: "Kling 2.6 Pro",
        kind: "video",
        provider: "kling",
        tags: &["text-to-video", "image-to-video"],
        base_cost: 7.5,
        has_audio: true,
        max_resolution: Some("1080p"),
        required_plans: &[],
        min_images: 0,
        max_images: 1,
        aspect_ratios: &["16:9", "9:16", "1:1"],
        default_aspect: Some("9:16"),
        resolutions: &[],
        default_resolution: None,
        durations: &[5, 10],
        default_duration: Some(5),
        slots: &[
            ("start_image", false, "image"),
            ("end_image", false, "image"),
        ],
        settings: &[GEN_AUDIO_ON],
        max_prompt_length: Some(2500),
        audio_off: Some(2.0 / 3.0),
        per_image: false,
    },
    AssetModel {
        name: "kling-standard",
        label: "Kling 2.6 Standard",
        kind: "video",
        provider: "kling",
        tags: &["image-to-video"],
        base_cost: 7.0,
        has_audio: false,
        max_resolution: Some("1080p"),
        required_plans: &[],
        min_images: 1,
        max_images: 1,
        aspect_ratios: &["16:9", "9:16", "1:1"],
        default_aspect: Some("9:16"),
        resolutions: &[],
        default_resolution: None,
        durations: &[5, 10],
        default_duration: Some(5),
        slots: &[],
        settings: &[GEN_AUDIO_OFF],
        max_prompt_length: Some(2500),
        audio_off: None,
        per_image: false,
    },
    AssetModel {
        name: "kling-v3-pro",
        label: "Kling 3 Pro",
        kind: "video",
        provider: "kling",
        tags: &["text-to-video", "image-to-video", "new"],
        base_cost: 17.0,
        has_audio: true,
        max_resolution: Some("1080p"),
        required_plans: &[],
        min_images: 0,
        max_images: 1,
        aspect_ratios: &["16:9", "9:16", "1:1"],
        default_aspect: Some("9:16"),
        resolutions: &[],
        default_resolution: None,
        durations: R3_15,
        default_duration: Some(5),
        slots: &[],
        settings: &[GEN_AUDIO_ON],
        max_prompt_length: Some(2500),
        audio_off: Some(0.7),
        per_image: false,
    },
    AssetModel {
        name: "seedance-2.0",
        label: "Seedance 2.0",
        kind: "video",
        provider: "bytedance",
        tags: &["text-to-video", "image-to-video", "new"],
        base_cost: 34.05,
        has_audio: true,
        max_resolution: Some("1080p"),
        required_plans: &["PRO", "ENTREPRISE"],
        min_images: 0,
        max_images: 12,
        aspect_ratios: &["21:9", "16:9", "4:3", "1:1", "3:4", "9:16"],
        default_aspect: Some("16:9"),
        resolutions: &[("480p", 0.25), ("720p", 0.5), ("1080p", 1.0)],
        default_resolution: Some("1080p"),
        durations: R4_15,
        default_duration: Some(5),
        slots: &[],
        settings: &[SettingSeed {
            key: "generateAudio",
            kind: "boolean",
            label: "audio",
            default: "true",
            affects_cost: false,
            options: &[],
        }],
        max_prompt_length: Some(3000),
        audio_off: None,
        per_image: false,
    },
    AssetModel {
        name: "grok-imagine-video",
        label: "Grok Imagine Video",
        kind: "video",
        provider: "xai",
        tags: &["text-to-video", "image-to-video"],
        base_cost: 3.0,
        has_audio: false,
        max_resolution: Some("720p"),
        required_plans: &[],
        min_images: 0,
        max_images: 1,
        aspect_ratios: &["16:9", "4:3", "3:2", "1:1", "2:3", "3:4", "9:16"],
        default_aspect: Some("9:16"),
        resolutions: &[("480p", 0.5), ("720p", 1.0)],
        default_resolution: Some("720p"),
        durations: R1_15,
        default_duration: Some(6),
        slots: &[],
        settings: &[],
        max_prompt_length: None,
        audio_off: None,
        per_image: false,
    },
    AssetModel {
        name: "gpt-image-2",
        label: "GPT Image 2",
        kind: "image",
        provider: "openai",
        tags: &["text-to-image", "new"],
        base_cost: 0.3,
        has_audio: false,
        max_resolution: Some("4k"),
        required_plans: &[],
        min_images: 0,
        max_images: 10,
        aspect_ratios: &["16:9", "9:16", "1:1", "4:3", "3:4"],
        default_aspect: Some("9:16"),
        resolutions: &[("1K", 1.0), ("2K", 1.5), ("4K", 2.0)],
        default_resolution: Some("1K"),
        durations: &[],
        default_duration: None,
        slots: &[],
        settings: &[SettingSeed {
            key: "quality",
            kind: "select",
            label: "quality",
            default: "medium",
            affects_cost: true,
            options: &["low", "medium", "high"],
        }],
        max_prompt_length: None,
        audio_off: None,
        per_image: false,
    },
    AssetModel {
        name: "seedream-4.5",
        label: "Seedream 4.5",
        kind: "image",
        provider: "bytedance",
        tags: &["text-to-image"],
        base_cost: 0.4,
        has_audio: false,
        max_resolution: Some("4k"),
        required_plans: &[],
        min_images: 0,
        max_images: 4,
        aspect_ratios: &["16:9", "9:16", "1:1", "4:3", "3:4"],
        default_aspect: Some("16:9"),
        resolutions: &[("1080p", 1.0), ("2K", 1.0), ("4K", 1.5)],
        default_resolution: Some("2K"),
        durations: &[],
        default_duration: None,
        slots: &[],
        settings: &[],
        max_prompt_length: None,
        audio_off: None,
        per_image: false,
    },
    AssetModel {
        name: "flux-2-pro",
        label: "FLUX.2 Pro",
        kind: "image",
        provider: "flux",
        tags: &["text-to-image"],
        base_cost: 2.0,
        has_audio: false,
        max_resolution: Some("4k"),
        required_plans: &[],
        min_images: 0,
        max_images: 4,
        aspect_ratios: &["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3"],
        default_aspect: Some("1:1"),
        resolutions: &[],
        default_resolution: None,
        durations: &[],
        default_duration: None,
        slots: &[],
        settings: &[],
        max_prompt_length: None,
        audio_off: None,
        per_image: false,
    },
    AssetModel {
        name: "reve-fast",
        label: "Reve Fast",
        kind: "image",
        provider: "reve",
        tags: &["text-to-image"],
        base_cost: 0.4,
        has_audio: false,
        max_resolution: None,
        required_plans: &[],
        min_images: 0,
        max_images: 6,
        aspect_ratios: &["16:9", "9:16", "3:2", "2:3", "4:3", "3:4", "1:1"],
        default_aspect: Some("3:2"),
        resolutions: &[],
        default_resolution: None,
        durations: &[],
        default_duration: None,
        slots: &[],
        settings: &[],
        max_prompt_length: Some(2560),
        audio_off: None,
        per_image: true,
    },
    AssetModel {
        name: "z-image-turbo",
        label: "Z-Image Turbo",
        kind: "image",
        provider: "zimage",
        tags: &["text-to-image"],
        base_cost: 0.1,
        has_audio: false,
        max_resolution: None,
        required_plans: &[],
        min_images: 0,
        max_images: 1,
        aspect_ratios: &["16:9", "9:16", "1:1", "4:3", "3:4"],
        default_aspect: Some("16:9"),
        resolutions: &[],
        default_resolution: None,
        durations: &[],
        default_duration: None,
        slots: &[],
        settings: &[],
        max_prompt_length: None,
        audio_off: None,
        per_image: false,
    },
];

pub fn asset_model(name: &str) -> Option<&'static AssetModel> {
    ASSET_MODELS.iter().find(|m| m.name == name)
}

fn setting_json(s: &SettingSeed) -> Value {
    let default = match s.default {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        other => Value::from(other),
    };
    let mut v = json!({"key": s.key, "type": s.kind, "label": s.label, "default_value": default, "affects_cost": s.affects_cost});
    if !s.options.is_empty() {
        v["options"] = json!(s.options);
    }
    v
}

impl AssetModel {
    pub fn capabilities(&self) -> Value {
        let mut c = Map::new();
        c.insert("max_images".into(), json!(self.max_images));
        c.insert("min_images".into(), json!(self.min_images));
        if !self.aspect_ratios.is_empty() {
            c.insert("supported_aspect_ratios".into(), json!(self.aspect_ratios));
            c.insert("default_aspect_ratio".into(), json!(self.default_aspect));
        }
        if !self.resolutions.is_empty() {
            let r: Vec<&str> = self.resolutions.iter().map(|(r, _)| *r).collect();
            c.insert("supported_resolutions".into(), json!(r));
            c.insert("default_resolution".into(), json!(self.default_resolution));
        }
        if !self.durations.is_empty() {
            c.insert("supported_durations".into(), json!(self.durations));
            c.insert("default_duration".into(), json!(self.default_duration));
        }
        let inputs: Vec<&str> = if self.slots.is_empty() {
            if self.max_images > 0 {
                vec!["text", "image"]
            } else {
                vec!["text"]
            }
        } else {
            let mut v = vec!["text"];
            for (_, _, kind) in self.slots {
                if !v.contains(kind) {
                    v.push(kind);
                }
            }
            v
        };
        c.insert("input_types".into(), json!(inputs));
        Value::Object(c)
    }

    /// The summary object of `/asset/models`; `hoist_type`/`hoist_provider` omit those keys.
    pub fn summary(&self, hoist_type: bool, hoist_provider: bool) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        m.insert("label".into(), json!(self.label));
        if !hoist_type {
            m.insert("type".into(), json!(self.kind));
        }
        if !hoist_provider {
            m.insert("provider".into(), json!(self.provider));
        }
        m.insert("tags".into(), json!(self.tags));
        m.insert("base_cost".into(), num(self.base_cost));
        m.insert("has_audio".into(), json!(self.has_audio));
        if let Some(r) = self.max_resolution {
            m.insert("max_resolution".into(), json!(r));
        }
        if let Some(d) = self.durations.iter().max() {
            m.insert("max_duration".into(), json!(d));
        }
        m.insert("required_plans".into(), json!(self.required_plans));
        m.insert("capabilities".into(), self.capabilities());
        Value::Object(m)
    }

    fn ref_item_schema() -> Value {
        json!({"type": "object",
               "properties": {"url": {"type": "string", "format": "uri"}, "asset_id": {"type": "string"}, "avatar_id": {"type": "string"}},
               "oneOf": [{"required": ["url"]}, {"required": ["asset_id"]}, {"required": ["avatar_id"]}]})
    }

    pub fn input_schema(&self) -> Value {
        let mut props = Map::new();
        let mut prompt = json!({"type": "string"});
        if let Some(n) = self.max_prompt_length {
            prompt["maxLength"] = json!(n);
        }
        props.insert("prompt".into(), prompt);
        let mut required = vec!["prompt".to_string()];
        if self.slots.is_empty() {
            if self.max_images > 0 {
                props.insert(
                    "references".into(),
                    json!({"type": "array", "minItems": self.min_images, "maxItems": self.max_images, "items": Self::ref_item_schema()}),
                );
                if self.min_images > 0 {
                    required.push("references".into());
                }
            }
        } else {
            for (slot, req, kind) in self.slots {
                let mut s = Self::ref_item_schema();
                s["description"] = json!(format!("{kind} input"));
                props.insert((*slot).into(), s);
                if *req {
                    required.push((*slot).into());
                }
            }
        }
        if !self.aspect_ratios.is_empty() {
            props.insert("aspect_ratio".into(), json!({"type": "string", "enum": self.aspect_ratios, "default": self.default_aspect}));
        }
        if !self.resolutions.is_empty() {
            let r: Vec<&str> = self.resolutions.iter().map(|(r, _)| *r).collect();
            props.insert(
                "resolution".into(),
                json!({"type": "string", "enum": r, "default": self.default_resolution}),
            );
        }
        if !self.durations.is_empty() {
            props.insert("duration".into(), json!({"type": "integer", "enum": self.durations, "default": self.default_duration}));
        }
        if self.per_image {
            props.insert(
                "image_count".into(),
                json!({"type": "integer", "minimum": 1, "maximum": 4, "default": 1}),
            );
        }
        props.insert(
            "generation_count".into(),
            json!({"type": "integer", "minimum": 1, "maximum": 4, "default": 1}),
        );
        props.insert("model_settings".into(), json!({"type": "object"}));
        json!({"type": "object", "required": required, "properties": props})
    }

    pub fn detail(&self) -> Value {
        let mut v = self.summary(false, false);
        v["max_prompt_length"] = json!(self.max_prompt_length);
        v["restricted_countries"] = json!([]);
        v["settings"] = Value::Array(self.settings.iter().map(setting_json).collect());
        v["input_schema"] = self.input_schema();
        v
    }

    /// The supported resolution matching `r` case-insensitively.
    pub fn canonical_resolution(&self, r: &str) -> Option<(&'static str, f64)> {
        self.resolutions
            .iter()
            .copied()
            .find(|(c, _)| c.eq_ignore_ascii_case(r))
    }

    /// The supported duration nearest to `d` (ties go up).
    pub fn snap_duration(&self, d: f64) -> Option<u32> {
        self.durations.iter().copied().min_by(|a, b| {
            let da = (*a as f64 - d).abs();
            let db = (*b as f64 - d).abs();
            da.partial_cmp(&db)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.cmp(a))
        })
    }
}

/// A price quote: cost per generation, the canonical duration/resolution used, and the
/// `normalized` object (only the inputs that were coerced).
pub struct Quote {
    pub per_generation: f64,
    pub duration: Option<u32>,
    pub resolution: Option<&'static str>,
    pub normalized: Map<String, Value>,
}

pub fn quote(
    m: &AssetModel,
    duration: Option<f64>,
    resolution: Option<&str>,
    settings: Option<&Map<String, Value>>,
    image_count: Option<f64>,
) -> Quote {
    let mut cost = m.base_cost;
    let mut normalized = Map::new();
    let mut dur = None;
    if let Some(def) = m.default_duration {
        let d = match duration {
            Some(x) => {
                let s = m.snap_duration(x).unwrap_or(def);
                if (s as f64 - x).abs() > 1e-9 {
                    normalized.insert("duration".into(), json!(format!("{s}s")));
                    normalized.insert("duration_in_seconds".into(), json!(s));
                }
                s
            }
            None => def,
        };
        cost *= d as f64 / def as f64;
        dur = Some(d);
    }
    let mut res = None;
    if let Some(def) = m.default_resolution {
        let (canon, mult) = match resolution {
            Some(r) => match m.canonical_resolution(r) {
                Some((c, mult)) => {
                    if c != r {
                        normalized.insert("resolution".into(), json!(c));
                    }
                    (c, mult)
                }
                None => {
                    normalized.insert("resolution".into(), json!(def));
                    m.canonical_resolution(def).unwrap_or((def, 1.0))
                }
            },
            None => m.canonical_resolution(def).unwrap_or((def, 1.0)),
        };
        cost *= mult;
        res = Some(canon);
    }
    if let (Some(mult), Some(s)) = (m.audio_off, settings) {
        if s.get("generateAudio") == Some(&Value::Bool(false)) {
            cost *= mult;
        }
    }
    if let Some(q) = settings
        .and_then(|s| s.get("quality"))
        .and_then(Value::as_str)
    {
        if m.settings.iter().any(|s| s.key == "quality") {
            cost *= match q {
                "low" => 0.5,
                "high" => 2.0,
                _ => 1.0,
            };
        }
    }
    if m.per_image {
        cost *= image_count.unwrap_or(1.0).max(1.0).floor();
    }
    Quote {
        per_generation: round2(cost),
        duration: dur,
        resolution: res,
        normalized,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_quote() {
        let m = asset_model("veo-3.1").unwrap();
        let q = quote(m, Some(8.0), Some("1080p"), None, None);
        assert_eq!(q.per_generation, 80.0);
        assert!(q.normalized.is_empty());
        let q = quote(m, Some(7.0), Some("4k"), None, None);
        assert_eq!(q.duration, Some(8));
        assert_eq!(q.normalized["duration"], json!("8s"));
        assert_eq!(q.normalized["resolution"], json!("4K"));
        let k = asset_model("kling-pro").unwrap();
        assert_eq!(quote(k, None, None, None, None).per_generation, 7.5);
        assert_eq!(quote(k, Some(10.0), None, None, None).per_generation, 15.0);
    }
}
