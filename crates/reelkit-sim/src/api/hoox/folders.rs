//! Hoox folders: `/folder/create` (name, `assets`/`videos` type, a parent of the same
//! type) and `/folder/list` (hoox.md §3.18–3.19).

use super::super::rules::HOOX_FOLDER_TYPES;
use super::super::util::{iso, object_id, unix_now};
use super::super::validate::{present, Details};
use super::state::Folder;
use super::Cx;
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};

fn folder_json(f: &Folder) -> Value {
    json!({"id": f.id, "name": f.name, "type": f.kind, "parent_folder_id": f.parent, "created_at": iso(f.created_unix)})
}

impl Cx<'_> {
    pub(super) fn folder_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut v = Details::default();
        let name = v.required_text(&b, "name").map(|s| s.trim().to_string());
        let kind = match present(&b, "type") {
            None => "assets".to_string(),
            Some(Value::String(s)) if HOOX_FOLDER_TYPES.contains(&s.as_str()) => s.clone(),
            Some(_) => {
                v.add(
                    "invalid_value",
                    "type must be 'assets' or 'videos'",
                    Some("type"),
                );
                String::new()
            }
        };
        let parent = self.parent_folder(&mut v, &b, &kind);
        let (Some(name), true) = (name, v.ok()) else {
            return v.into_response();
        };
        let f = Folder {
            id: object_id(),
            name,
            kind,
            parent,
            created_unix: unix_now(),
        };
        let out = folder_json(&f);
        self.hoox().folders.push(f);
        SimResponse::json(201, &out)
    }

    /// `parent_folder_id`: an existing folder of the same `kind` (`""`: kind invalid).
    fn parent_folder(&self, v: &mut Details, b: &Map<String, Value>, kind: &str) -> Option<String> {
        match present(b, "parent_folder_id")? {
            Value::String(p) => {
                match self.st.hoox.folders.iter().find(|f| &f.id == p) {
                    None => v.add(
                        "invalid_value",
                        format!("Parent folder \"{p}\" not found"),
                        Some("parent_folder_id"),
                    ),
                    Some(f) if f.kind != kind && !kind.is_empty() => v.add(
                        "invalid_value",
                        "Parent folder must be of the same type",
                        Some("parent_folder_id"),
                    ),
                    _ => {}
                }
                Some(p.clone())
            }
            _ => {
                v.add(
                    "invalid_value",
                    "parent_folder_id must be a string or null",
                    Some("parent_folder_id"),
                );
                None
            }
        }
    }

    pub(super) fn folder_list(&mut self, req: &SimRequest) -> SimResponse {
        let ty = req.query_param("type").filter(|s| !s.is_empty());
        let folders: Vec<Value> = self
            .st
            .hoox
            .folders
            .iter()
            .filter(|f| ty.is_none_or(|t| f.kind == t))
            .map(folder_json)
            .collect();
        SimResponse::json(200, &json!({"folders": folders}))
    }
}
