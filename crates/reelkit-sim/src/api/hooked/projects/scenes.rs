//! Hooked projects made of scenes: `/project/create/scenes` and the template generation
//! of `/project/create` (type `class`, or its direct form with a script): their field
//! rules, as a [`Spec`].

use super::super::super::validate::{Issues, Num};
use super::{audio, caption, script_seconds, speaker, Spec, ASPECTS};
use serde_json::{Map, Value};

use super::super::super::rules::HOOKED_SCENE_TYPES as SCENE_TYPES;

/// Scenes of four types; talking scenes need a script, an avatar and a voice, frame
/// scenes their two frames and a prompt.
pub(super) fn scenes(z: &mut Issues, b: &Map<String, Value>) -> Spec {
    let mut spec = Spec {
        kind: "scenes",
        ..Spec::default()
    };
    let mut secs = 0.0;
    for (i, s) in z
        .array(b, "", "scenes", true, 1, 50)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("scenes.{i}");
        if let Some(so) = z.item_object(&p, s) {
            secs += scene(z, so, &p, &mut spec);
        }
    }
    spec.seconds = Some(secs.max(1.0));
    spec.name = z.string(b, "", "name", false, 0, 100);
    spec.music = z.string(b, "", "musicId", false, 0, 30);
    spec.caption = caption(z, b, false, "tiktok");
    spec.aspect = z.enumv(b, "", "aspectRatio", false, ASPECTS);
    z.boolean(b, "", "addStickers", false);
    audio(z, b);
    z.exact_len(b, "", "language", false, 2);
    spec.message = "Scenes project successfully created";
    spec
}

/// One scene at `p`; returns its seconds (spoken, the frame duration, or 5).
fn scene(z: &mut Issues, so: &Map<String, Value>, p: &str, spec: &mut Spec) -> f64 {
    let ty = z.enumv(so, p, "type", true, SCENE_TYPES);
    let ty = ty.as_deref();
    let talking = matches!(ty, Some("avatar" | "picture_in_picture"));
    let script = z.string(so, p, "script", talking, 1, 5000);
    let avatar = z.string(so, p, "avatarId", talking, 1, 100);
    z.string(so, p, "voiceId", talking, 1, 100);
    let media = matches!(ty, Some("video" | "picture_in_picture"));
    z.string(so, p, "mediaId", media, 1, 100);
    let sef = ty == Some("start_end_frame");
    z.string(so, p, "startFrameMediaId", sef, 1, 100);
    z.string(so, p, "endFrameMediaId", sef, 1, 100);
    z.string(so, p, "frameModel", false, 1, 100);
    let frame_prompt = z.string(so, p, "framePrompt", sef, 1, 2000);
    let frame_secs = z.number(so, p, "frameDuration", false, Num::range(1.0, 60.0));
    if let Some(a) = avatar {
        spec.scene_avatars.push(a);
    }
    let secs = if let Some(s) = script {
        let secs = script_seconds(&s);
        spec.texts.push(s);
        secs
    } else if sef {
        frame_secs.unwrap_or(5.0)
    } else {
        5.0
    };
    if let Some(f) = frame_prompt {
        spec.texts.push(f);
    }
    secs
}

/// `/project/create`: a template (`templateId`, `title`, `caption`, `language`, scenes
/// with variables), or with a `script` and no `templateId`, a direct video.
pub(super) fn template(z: &mut Issues, b: &Map<String, Value>) -> Spec {
    let mut spec = Spec {
        kind: "class",
        ..Spec::default()
    };
    match b.get("type") {
        None => z.issue("type", "Required"),
        Some(Value::String(s)) if s == "class" => {}
        Some(_) => z.issue("type", "Invalid literal value, expected \"class\""),
    }
    if !b.contains_key("templateId") && b.contains_key("script") {
        speaker(z, b, &mut spec);
        spec.name = z.string(b, "", "title", false, 1, 100);
    } else {
        spec.template = z.string(b, "", "templateId", true, 1, 20);
        spec.name = z.string(b, "", "title", true, 1, 100);
        spec.caption.1 = !z.boolean(b, "", "caption", true).unwrap_or(true);
        z.exact_len(b, "", "language", true, 2);
        let mut secs = 0.0;
        for (i, s) in z
            .array(b, "", "scenes", true, 1, 20)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = format!("scenes.{i}");
            if let Some(so) = z.item_object(&p, s) {
                secs += template_scene(z, so, &p, &mut spec);
            }
        }
        spec.seconds = Some(secs.max(1.0));
    }
    spec.aspect = z.enumv(b, "", "aspectRatio", false, ASPECTS);
    spec.message = "Project created successfully";
    spec
}

/// One template scene at `p`: its script, variables, avatar and voice; returns its
/// spoken seconds.
fn template_scene(z: &mut Issues, so: &Map<String, Value>, p: &str, spec: &mut Spec) -> f64 {
    let mut secs = 0.0;
    if let Some(sc) = z.string(so, p, "script", true, 1, 5000) {
        secs = script_seconds(&sc);
        spec.texts.push(sc);
    }
    for (j, v) in z
        .array(so, p, "variables", false, 0, 20)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let vp = format!("{p}.variables.{j}");
        let Some(vo) = z.item_object(&vp, v) else {
            continue;
        };
        z.string(vo, &vp, "key", true, 1, 100);
        z.string(vo, &vp, "value", true, 1, 2000);
        z.enumv(vo, &vp, "type", false, &["text", "media"]);
    }
    if let Some(av) = z.object(so, p, "avatar", false) {
        if let Some(id) = z.string(av, &format!("{p}.avatar"), "id", true, 1, 100) {
            spec.scene_avatars.push(id);
        }
    }
    z.object(so, p, "caption", false);
    if let Some(vid) = z.string(so, p, "voiceId", false, 0, 20) {
        spec.voice.get_or_insert(vid);
    }
    secs
}
