//! Hooked scheduled posts: `/schedule/create`, `/schedule/list`, and GET / PATCH / DELETE
//! `/schedule/{id}`; a pending post becomes `published` (or `failed` on an expired
//! integration) once its time has passed (hooked.md §5, rows 17–21).

use super::super::rules::HOOKED_SCHEDULE_STATUSES;
use super::super::util::{iso, new_id, num, parse_iso, unix_now};
use super::super::validate::Issues;
use super::catalogue as cat;
use super::state::{Schedule, VStatus};
use super::videos::{media_url, thumbnail};
use super::{bad_query_enum, fail, ok, page, paging, Cx};
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};

/// `platformData`: title, description (2,200 characters on TikTok and Instagram, else
/// 5,000), up to 30 string tags, privacy status, made-for-kids.
fn platform_data(
    z: &mut Issues,
    b: &Map<String, Value>,
    platform: Option<&str>,
) -> Option<Map<String, Value>> {
    let pd = z.object(b, "", "platformData", false)?;
    z.string(pd, "platformData", "title", false, 0, 100);
    let desc_max = if matches!(platform, Some("tiktok" | "instagram")) {
        2200
    } else {
        5000
    };
    z.string(pd, "platformData", "description", false, 0, desc_max);
    if let Some(tags) = z.array(pd, "platformData", "tags", false, 0, 30) {
        for (i, t) in tags.iter().enumerate() {
            if !t.is_string() {
                z.wrong_type(&format!("platformData.tags.{i}"), "string", t);
            }
        }
    }
    z.enumv(
        pd,
        "platformData",
        "privacyStatus",
        false,
        &["public", "private", "unlisted"],
    );
    z.boolean(pd, "platformData", "madeForKids", false);
    Some(pd.clone())
}

/// `scheduledDateTime`: an ISO-8601 date-time.
fn datetime(z: &mut Issues, b: &Map<String, Value>, required: bool) -> Option<f64> {
    let s = z.string(b, "", "scheduledDateTime", required, 0, 100)?;
    let t = parse_iso(&s);
    if t.is_none() {
        z.issue("scheduledDateTime", "Invalid datetime");
    }
    t
}

/// 400 unless `when` is in the future.
fn check_future(when: f64) -> Result<(), SimResponse> {
    if when <= unix_now() {
        return Err(fail(
            400,
            "Scheduled time must be in the future",
            Some("INVALID_SCHEDULED_TIME"),
        ));
    }
    Ok(())
}

impl Cx<'_> {
    fn schedule_status(&self, s: &Schedule) -> &'static str {
        if let Some(f) = s.fixed {
            return f;
        }
        if s.scheduled_unix > unix_now() {
            return "pending";
        }
        match cat::integration(&s.integration_id) {
            Some(i) if i.5 == "healthy" => "published",
            _ => "failed",
        }
    }

    fn schedule_json(&self, s: &Schedule) -> Value {
        let status = self.schedule_status(s);
        let integ = cat::integration(&s.integration_id);
        let mut pd = s.platform_data.clone();
        if s.fixed.is_none() {
            match status {
                "published" => {
                    pd.insert(
                        "publishedUrl".into(),
                        json!(format!(
                            "https://www.youtube.com/watch?v={}",
                            &s.id[5..].chars().take(11).collect::<String>()
                        )),
                    );
                }
                "failed" => {
                    pd.insert(
                        "error".into(),
                        json!("Integration token expired: reconnect the account in the dashboard"),
                    );
                }
                _ => {}
            }
        }
        let video = self.st.hooked.videos.get(&s.video_id).map(|v| {
            json!({"id": v.id, "name": v.name,
                   "url": media_url(self.inner, v),
                   "thumbnail": thumbnail(self.inner, v), "durationInSeconds": num(v.seconds)})
        });
        json!({"id": s.id, "status": status, "scheduledDateTime": iso(s.scheduled_unix),
               "platform": integ.map(|i| i.1),
               "integration": integ.map(|i| json!({"id": i.0, "type": i.1, "account": cat::integration_account(i)})),
               "video": video, "platformData": pd,
               "createdAt": iso(s.created_unix), "updatedAt": iso(s.updated_unix)})
    }

    pub(super) fn schedule_create(&mut self, b: Map<String, Value>) -> SimResponse {
        let mut z = Issues::default();
        let video_id = z.string(&b, "", "videoId", true, 1, 100);
        let integration_id = z.string(&b, "", "integrationId", true, 1, 100);
        let when = datetime(&mut z, &b, true);
        let platform = integration_id
            .as_deref()
            .and_then(cat::integration)
            .map(|i| i.1);
        let pd = platform_data(&mut z, &b, platform);
        let (Some(video_id), Some(integration_id), Some(when), true) =
            (video_id, integration_id, when, z.ok())
        else {
            return z.into_response();
        };
        let now = self.now;
        let Some(video) = self.st.hooked.videos.get(&video_id) else {
            return fail(404, "Video not found", Some("VIDEO_NOT_FOUND"));
        };
        if video.other_team {
            return fail(403, "Video does not belong to your team", Some("FORBIDDEN"));
        }
        let Some(integ) = cat::integration(&integration_id) else {
            return fail(404, "Integration not found", Some("INTEGRATION_NOT_FOUND"));
        };
        if video.status(now) != VStatus::Completed {
            return fail(400, "Video must be completed", Some("VIDEO_NOT_COMPLETED"));
        }
        if let Err(e) = check_future(when) {
            return e;
        }
        let t = unix_now();
        let s = Schedule {
            id: new_id("post_", 20),
            video_id: video_id.clone(),
            integration_id,
            scheduled_unix: when,
            platform_data: pd.unwrap_or_default(),
            fixed: None,
            created_unix: t,
            updated_unix: t,
            other_team: false,
        };
        let data = json!({"scheduleId": s.id, "status": "pending", "scheduledDateTime": iso(when),
                          "platform": integ.1, "videoId": video_id});
        self.st.hooked.schedules.push(s);
        ok(Some("Video scheduled successfully"), data)
    }

    pub(super) fn schedule_list(&mut self, req: &SimRequest) -> SimResponse {
        let status = req.query_param("status").filter(|s| !s.is_empty());
        let allowed = HOOKED_SCHEDULE_STATUSES;
        if let Some(s) = status.filter(|s| !allowed.contains(s)) {
            return bad_query_enum("status", allowed, s);
        }
        let platform = req.query_param("platform").filter(|s| !s.is_empty());
        let (limit, offset) = match paging(req, 50, 100) {
            Ok(p) => p,
            Err(e) => return e,
        };
        let mut items: Vec<&Schedule> = self
            .st
            .hooked
            .schedules
            .iter()
            .filter(|s| !s.other_team)
            .filter(|s| status.is_none_or(|st| self.schedule_status(s) == st))
            .filter(|s| {
                platform
                    .is_none_or(|p| cat::integration(&s.integration_id).is_some_and(|i| i.1 == p))
            })
            .collect();
        items.sort_by(|a, b| a.scheduled_unix.total_cmp(&b.scheduled_unix));
        let total = items.len();
        let posts: Vec<Value> = page(&items, limit, offset)
            .into_iter()
            .map(|s| self.schedule_json(s))
            .collect();
        ok(
            Some("Scheduled posts fetched successfully"),
            json!({"scheduledPosts": posts, "total": total, "limit": limit, "offset": offset}),
        )
    }

    fn find_schedule(&self, id: &str) -> Result<usize, SimResponse> {
        match self.st.hooked.schedules.iter().position(|s| s.id == id) {
            None => Err(fail(404, "Schedule not found", Some("SCHEDULE_NOT_FOUND"))),
            Some(i) if self.st.hooked.schedules[i].other_team => Err(fail(
                403,
                "Schedule does not belong to your team",
                Some("FORBIDDEN"),
            )),
            Some(i) => Ok(i),
        }
    }

    pub(super) fn schedule_get(&mut self, id: &str) -> SimResponse {
        match self.find_schedule(id) {
            Err(e) => e,
            Ok(i) => ok(
                Some("Scheduled post fetched successfully"),
                self.schedule_json(&self.st.hooked.schedules[i]),
            ),
        }
    }

    pub(super) fn schedule_patch(&mut self, id: &str, b: Map<String, Value>) -> SimResponse {
        match self.find_schedule(id) {
            Err(e) => e,
            Ok(i) => self.schedule_patch_at(i, b),
        }
    }

    fn schedule_patch_at(&mut self, i: usize, b: Map<String, Value>) -> SimResponse {
        let mut z = Issues::default();
        let when = datetime(&mut z, &b, false);
        let platform = cat::integration(&self.st.hooked.schedules[i].integration_id).map(|x| x.1);
        let pd = platform_data(&mut z, &b, platform);
        if !z.ok() {
            return z.into_response();
        }
        let status = self.schedule_status(&self.st.hooked.schedules[i]);
        if status != "pending" {
            let msg = if status == "published" {
                "Cannot update a published post"
            } else {
                "Only pending schedules can be updated"
            };
            return fail(400, msg, Some("SCHEDULE_NOT_PENDING"));
        }
        if let Some(Err(e)) = when.map(check_future) {
            return e;
        }
        let s = &mut self.st.hooked.schedules[i];
        if let Some(w) = when {
            s.scheduled_unix = w;
        }
        if let Some(pd) = pd {
            for (k, v) in pd {
                s.platform_data.insert(k, v);
            }
        }
        s.updated_unix = unix_now();
        let data = json!({"id": s.id, "status": "pending", "scheduledDateTime": iso(s.scheduled_unix),
                          "platformData": s.platform_data});
        ok(Some("Schedule updated successfully"), data)
    }

    pub(super) fn schedule_delete(&mut self, id: &str) -> SimResponse {
        let i = match self.find_schedule(id) {
            Err(e) => return e,
            Ok(i) => i,
        };
        match self.schedule_status(&self.st.hooked.schedules[i]) {
            "pending" => {}
            "published" => {
                return fail(
                    400,
                    "Cannot delete a published post",
                    Some("SCHEDULE_NOT_PENDING"),
                )
            }
            _ => {
                return fail(
                    400,
                    "Only pending schedules can be cancelled",
                    Some("SCHEDULE_NOT_PENDING"),
                )
            }
        }
        let s = self.st.hooked.schedules.remove(i);
        ok(
            Some("Schedule cancelled successfully"),
            json!({"id": s.id, "deleted": true}),
        )
    }
}
