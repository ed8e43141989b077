//! Every allowed-value list the simulator enforces, in one place, and the table view
//! of them and of the credit formulas that `tests/test_rules_table.py` holds against
//! the SDK's own (independently written) rules: drift between the two fails CI.

use super::credits;
use serde_json::{json, Map, Value};

// Hoox (hoox.md §3)
pub const HOOX_VIDEO_FORMATS: &[&str] = &["vertical", "horizontal", "square", "ads", "custom"];
pub const HOOX_LOOK_FORMATS: &[&str] = &["vertical", "horizontal"];
pub const HOOX_LOOK_STYLES: &[&str] = &["iphone", "selfie", "podcast", "car", "conference", "raw"];
/// Compared ignoring case. "1K" is in the MCP client; the newest docs list 2K and 4K.
pub const HOOX_LOOK_RESOLUTIONS: &[&str] = &["1K", "2K", "4K"];
pub const HOOX_MEDIA_SHOW: &[&str] = &["full", "half", "background", "hide"];
pub const HOOX_FOLDER_TYPES: &[&str] = &["assets", "videos"];
pub const HOOX_ANIMATE_MODES: &[&str] = &["standard", "pro"];
pub use super::hoox::catalog::EXPORT_AVATAR_MODELS as HOOX_EXPORT_AVATAR_MODELS;

// Hooked (hooked.md §6)
pub const HOOKED_VIDEO_TYPES: &[&str] = &[
    "class",
    "ugc_ads",
    "ugc_video",
    "script_to_video",
    "prompt_to_video",
    "hook_demo",
    "product_ads",
    "scenes",
    "add_captions",
    "extend_video",
    "remove_background",
    "tiktok_slideshow",
];
pub const HOOKED_ASPECT_RATIOS: &[&str] = &["ratio_9_16", "ratio_16_9", "ratio_1_1"];
pub const HOOKED_CAPTION_PRESETS: &[&str] = &[
    "default", "beast", "umi", "tiktok", "wrap1", "wrap2", "ariel", "hooked", "classic", "active",
    "bubble", "glass", "comic", "glow", "pastel", "neon", "retroTV", "red", "marker", "modern",
    "blue", "vivid",
];
pub const HOOKED_CAPTION_ALIGNMENTS: &[&str] = &["top", "middle", "bottom"];
pub const HOOKED_LIPSYNC_MODELS: &[&str] = &["base", "pro"];
pub const HOOKED_MEDIA_TYPES: &[&str] = &["ai-images", "ai-videos", "media", "gameplay"];
pub const HOOKED_SCENE_TYPES: &[&str] =
    &["avatar", "video", "picture_in_picture", "start_end_frame"];
pub const HOOKED_SCHEDULE_STATUSES: &[&str] = &["pending", "published", "failed", "draft"];
pub const HOOKED_AVATAR_TYPES: &[&str] = &["library", "custom", "all"];

/// Every list above by its table name.
pub fn allowed_values() -> Value {
    let lists: &[(&str, &[&str])] = &[
        ("hoox.video_formats", HOOX_VIDEO_FORMATS),
        ("hoox.look_formats", HOOX_LOOK_FORMATS),
        ("hoox.look_styles", HOOX_LOOK_STYLES),
        ("hoox.look_resolutions", HOOX_LOOK_RESOLUTIONS),
        ("hoox.media_show", HOOX_MEDIA_SHOW),
        ("hoox.folder_types", HOOX_FOLDER_TYPES),
        ("hoox.animate_modes", HOOX_ANIMATE_MODES),
        ("hoox.export_avatar_models", HOOX_EXPORT_AVATAR_MODELS),
        ("hooked.video_types", HOOKED_VIDEO_TYPES),
        ("hooked.aspect_ratios", HOOKED_ASPECT_RATIOS),
        ("hooked.caption_presets", HOOKED_CAPTION_PRESETS),
        ("hooked.caption_alignments", HOOKED_CAPTION_ALIGNMENTS),
        ("hooked.lipsync_models", HOOKED_LIPSYNC_MODELS),
        ("hooked.media_types", HOOKED_MEDIA_TYPES),
        ("hooked.scene_types", HOOKED_SCENE_TYPES),
        ("hooked.schedule_statuses", HOOKED_SCHEDULE_STATUSES),
        ("hooked.avatar_types", HOOKED_AVATAR_TYPES),
    ];
    let mut out = Map::new();
    for (name, values) in lists {
        out.insert((*name).into(), json!(values));
    }
    Value::Object(out)
}

fn number(params: &Value, name: &str) -> Option<f64> {
    params.get(name).and_then(Value::as_f64)
}

fn flag(params: &Value, name: &str) -> bool {
    params.get(name).and_then(Value::as_bool).unwrap_or(false)
}

fn text<'a>(params: &'a Value, name: &str) -> Option<&'a str> {
    params.get(name).and_then(Value::as_str)
}

/// The credits the simulator debits for one operation, with the inputs named as the
/// SDK's `estimate_credits` names them. The handlers call the same `credits::*`
/// functions; this only maps the table's names onto their arguments.
pub fn credits_for(op: &str, params: &Value) -> Result<f64, String> {
    let need = |name: &str| number(params, name).ok_or_else(|| format!("{op} needs {name}"));
    match op {
        "script" => {
            let urls = params
                .get("urls")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            Ok(credits::script_cost(
                number(params, "duration").unwrap_or(60.0),
                flag(params, "web_search"),
                urls,
            ))
        }
        "generation" => {
            let duration = need("duration")?;
            let images = number(params, "animate_image_max").unwrap_or(0.0) as usize;
            let pro = text(params, "animate_mode") == Some("pro");
            let images = if flag(params, "animate_image") {
                images
            } else {
                0
            };
            Ok(credits::round(
                credits::generation_cost(duration) + credits::animation_cost(images, pro),
            ))
        }
        "export" => {
            let duration = need("duration")?;
            let custom = text(params, "format") == Some("custom");
            let high_res = custom
                && (number(params, "width").unwrap_or(0.0) > 1920.0
                    || number(params, "height").unwrap_or(0.0) > 1080.0);
            Ok(credits::export_cost(
                duration,
                high_res,
                text(params, "avatar_model"),
                text(params, "resolution"),
            ))
        }
        "avatar_create" | "avatar_edit" => Ok(credits::avatar_cost(
            text(params, "resolution").unwrap_or("2K"),
            op == "avatar_edit" && flag(params, "upscale"),
        )),
        _ => Err(format!("unknown operation {op:?}")),
    }
}
