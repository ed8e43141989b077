//! Hooked projects without an avatar on screen: script-to-video, prompt-to-video and
//! tiktok-slideshow: their field rules, as a [`Spec`].

use super::super::super::validate::{Issues, Num};
use super::{audio, caption, Spec, ASPECTS, LIPSYNC};
use serde_json::{Map, Value};

use super::super::super::rules::HOOKED_MEDIA_TYPES as MEDIA_TYPES;

/// `/project/create/script-to-video`, or `prompt-to-video` (`prompt_mode`).
pub(super) fn to_video(z: &mut Issues, b: &Map<String, Value>, prompt_mode: bool) -> Spec {
    let mut spec = Spec {
        kind: if prompt_mode {
            "prompt_to_video"
        } else {
            "script_to_video"
        },
        ..Spec::default()
    };
    if prompt_mode {
        spec.prompt = z.string(b, "", "prompt", true, 1, 4000);
    } else {
        spec.script = z.string(b, "", "script", true, 1, 10_000);
    }
    spec.voice = z.string(b, "", "voiceId", true, 1, 100);
    let preset = z.object(b, "", "presetSettings", false);
    // `mediaType` at the top level, or inside `presetSettings` when only there.
    let media_type =
        if b.contains_key("mediaType") || preset.is_none_or(|p| !p.contains_key("mediaType")) {
            z.enumv(b, "", "mediaType", true, MEDIA_TYPES)
        } else {
            preset.and_then(|p| z.enumv(p, "presetSettings", "mediaType", true, MEDIA_TYPES))
        };
    if let Some(p) = preset {
        z.string(p, "presetSettings", "preset", false, 1, 100);
        z.string(p, "presetSettings", "quality", false, 1, 100);
    }
    let media_type = media_type.as_deref();
    spec.media = z
        .id_list(b, "", "media", media_type == Some("media"), 50)
        .len();
    z.object(b, "", "gameplaySettings", media_type == Some("gameplay"));
    spec.name = z.string(b, "", "name", false, 0, 100);
    spec.music = z.string(b, "", "musicId", false, 0, 30);
    spec.aspect = z.enumv(b, "", "aspectRatio", false, ASPECTS);
    spec.caption = caption(z, b, false, "classic");
    z.exact_len(b, "", "language", false, 2);
    z.boolean(b, "", "addStickers", false);
    audio(z, b);
    if prompt_mode {
        spec.seconds = z
            .number(
                b,
                "",
                "targetDuration",
                false,
                Num::range(10.0, 120.0).int(),
            )
            .or(Some(60.0));
        spec.message = "Prompt to Video successfully created";
    } else {
        spec.message = "Script to Video successfully created";
    }
    spec
}

/// Slides of media with texts: 3 s a slide unless given (1 to 10 s).
pub(super) fn slideshow(z: &mut Issues, b: &Map<String, Value>) -> Spec {
    let mut spec = Spec {
        kind: "tiktok_slideshow",
        ..Spec::default()
    };
    if matches!(b.get("slides"), Some(Value::Array(a)) if a.is_empty()) {
        z.issue("slides", "At least one slide is required");
    }
    let mut secs = 0.0;
    for (i, s) in z
        .array(b, "", "slides", true, 0, 50)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("slides.{i}");
        let Some(so) = z.item_object(&p, s) else {
            continue;
        };
        z.string(so, &p, "media", true, 1, 100);
        secs += z
            .number(so, &p, "duration", false, Num::range(1.0, 10.0).between())
            .unwrap_or(3.0);
        for (j, t) in z
            .array(so, &p, "texts", false, 0, 10)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let tp = format!("{p}.texts.{j}");
            let Some(to) = z.item_object(&tp, t) else {
                continue;
            };
            if let Some(text) = z.string(to, &tp, "text", true, 1, 500) {
                spec.texts.push(text);
            }
            z.number(to, &tp, "x", false, Num::ANY);
            z.number(to, &tp, "y", false, Num::ANY);
        }
    }
    spec.seconds = Some(secs.max(1.0));
    spec.aspect = z.enumv(b, "", "aspectRatio", true, ASPECTS);
    z.exact_len(b, "", "language", true, 2);
    spec.name = z.string(b, "", "name", false, 1, 100);
    spec.script = z.string(b, "", "script", false, 0, 10_000);
    spec.voice = z.string(b, "", "voiceId", false, 1, 30);
    if spec.script.as_deref().is_some_and(|s| !s.is_empty())
        && spec.voice.is_none()
        && !b.contains_key("voiceId")
    {
        z.issue("voiceId", "voiceId is required when script is provided");
    }
    spec.avatar = z.string(b, "", "avatarId", false, 1, 30);
    z.enumv(b, "", "lipsyncModel", false, LIPSYNC);
    spec.music = z.string(b, "", "musicId", false, 0, 30);
    spec.message = "TikTok slideshow successfully created";
    spec
}
