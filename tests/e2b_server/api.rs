//! The REST subset of spec/openapi.yml: POST/GET /sandboxes, GET /v2/sandboxes,
//! GET/DELETE /sandboxes/{id}, POST /sandboxes/{id}/timeout, GET
//! /v2/sandboxes/{id}/logs. Errors are the spec's `Error` schema.

use super::http::{parse_query, Request, Response};
use super::{rfc3339, Sandbox, State, API_KEY};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

/// The platform's own templates (what `templateID` may name here).
pub const TEMPLATES: &[&str] = &[
    "base",
    "code-interpreter-v1",
    "nextjs-developer",
    "vue-developer",
    "streamlit-developer",
    "gradio-developer",
];

/// Every property of the `NewSandbox` schema.
const NEW_SANDBOX_FIELDS: &[&str] = &[
    "templateID",
    "timeout",
    "autoPause",
    "autoPauseMemory",
    "autoResume",
    "secure",
    "allow_internet_access",
    "network",
    "metadata",
    "envVars",
    "mcp",
    "iam",
    "volumeMounts",
];

fn error(status: u16, message: &str) -> Response {
    Response::json(status, &json!({ "code": status, "message": message }))
}

pub fn handle(state: &State, request: &Request) -> Response {
    if let Some((status, headers, body)) = state.faults.lock().unwrap().api_answers.pop_front() {
        let mut answer = Response::json(status, &body);
        answer.headers.extend(headers);
        return answer;
    }
    if request.header("x-api-key") != Some(API_KEY) {
        return error(401, "Invalid API key, it must start with 'e2b_' prefix");
    }
    let parts: Vec<&str> = request.path.trim_start_matches('/').split('/').collect();
    match (request.method.as_str(), parts.as_slice()) {
        ("POST", ["sandboxes"]) => create(state, request),
        ("GET", ["v2", "sandboxes"]) => list(state, request),
        ("GET", ["sandboxes", id]) => with_sandbox(state, id, |s| {
            no_query(request).unwrap_or_else(|| Response::json(200, &detail(s, true)))
        }),
        ("DELETE", ["sandboxes", id]) => {
            if state.end(id) {
                Response::empty(204)
            } else {
                error(
                    404,
                    &format!("sandbox \"{id}\" doesn't exist or you don't have access to it"),
                )
            }
        }
        ("POST", ["sandboxes", id, "timeout"]) => set_timeout(state, id, request),
        ("GET", ["v2", "sandboxes", id, "logs"]) => with_sandbox(state, id, |s| {
            let logs: Vec<Value> = s
                .logs
                .iter()
                .map(|(at, line)| {
                    json!({"timestamp": rfc3339(*at), "level": "info", "message": line, "fields": {}})
                })
                .collect();
            Response::json(200, &json!({ "logs": logs }))
        }),
        _ => error(404, "no such route in the test server"),
    }
}

fn no_query(request: &Request) -> Option<Response> {
    (!request.query.is_empty()).then(|| error(400, "unexpected query parameters"))
}

fn with_sandbox(state: &State, id: &str, f: impl FnOnce(&mut Sandbox) -> Response) -> Response {
    let mut map = state.sandboxes.lock().unwrap();
    match map.get_mut(id) {
        Some(s) => f(s),
        None => error(
            404,
            &format!("sandbox \"{id}\" doesn't exist or you don't have access to it"),
        ),
    }
}

fn json_body(request: &Request) -> Result<Map<String, Value>, Response> {
    if request.content_type() != "application/json" {
        return Err(error(400, "Content-Type must be application/json"));
    }
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(error(400, "the body is not a JSON object")),
    }
}

fn string_map(value: Option<&Value>, name: &str) -> Result<BTreeMap<String, String>, Response> {
    match value {
        None => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(error(400, &format!("{name}.{k} must be a string"))),
            })
            .collect(),
        Some(_) => Err(error(400, &format!("{name} must be an object"))),
    }
}

fn create(state: &State, request: &Request) -> Response {
    if let Some(answer) = no_query(request) {
        return answer;
    }
    let body = match json_body(request) {
        Ok(b) => b,
        Err(e) => return e,
    };
    if let Some(unknown) = body
        .keys()
        .find(|k| !NEW_SANDBOX_FIELDS.contains(&k.as_str()))
    {
        return error(400, &format!("unknown field \"{unknown}\" in NewSandbox"));
    }
    let Some(template) = body.get("templateID").and_then(Value::as_str) else {
        return error(400, "templateID is required");
    };
    if !TEMPLATES.contains(&template) {
        return error(404, &format!("template '{template}' not found"));
    }
    let timeout = match body.get("timeout") {
        None => 15,
        Some(v) => match v.as_u64() {
            Some(t) if t <= i32::MAX as u64 => t,
            _ => return error(400, "timeout must be an int32 of at least 0"),
        },
    };
    for flag in ["secure", "allow_internet_access", "autoPause"] {
        if body.get(flag).is_some_and(|v| !v.is_boolean()) {
            return error(400, &format!("{flag} must be a boolean"));
        }
    }
    let (metadata, env) = match (
        string_map(body.get("metadata"), "metadata"),
        string_map(body.get("envVars"), "envVars"),
    ) {
        (Ok(m), Ok(e)) => (m, e),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let timeout = state
        .faults
        .lock()
        .unwrap()
        .force_timeout
        .unwrap_or(timeout);
    let id = state.new_id();
    let home = state.root.join(&id);
    std::fs::create_dir_all(&home).unwrap();
    let secure = body.get("secure").and_then(Value::as_bool).unwrap_or(false);
    let token = secure.then(|| format!("tok{:016x}", fastrand::u64(..)));
    let now = SystemTime::now();
    let (alive, _) = tokio::sync::watch::channel(true);
    let template_env = state
        .template_envs
        .as_deref()
        .and_then(|cache| super::template_env::find(cache, template));
    if let Some(env) = &template_env {
        super::template_env::seed_home(env, &home);
    }
    let sandbox = Sandbox {
        id: id.clone(),
        template: template.to_string(),
        home,
        metadata,
        env,
        started_at: now,
        end_at: now + Duration::from_secs(timeout),
        token: token.clone(),
        template_env,
        cgroups: super::limits::Cgroups::make(&id),
        netns: match body.get("allow_internet_access").and_then(Value::as_bool) {
            Some(false) => super::netns::Netns::make(&id).map(std::sync::Arc::new),
            _ => None,
        },
        internet: body.get("allow_internet_access").and_then(Value::as_bool),
        logs: vec![(now, format!("sandbox {id} started from {template}"))],
        procs: HashMap::new(),
        alive,
    };
    state.sandboxes.lock().unwrap().insert(id.clone(), sandbox);
    let mut answer = json!({
        "templateID": template, "sandboxID": id, "clientID": "test-client",
        "envdVersion": "0.2.0", "domain": null,
    });
    if let Some(token) = token {
        answer["envdAccessToken"] = json!(token);
    }
    Response::json(201, &answer)
}

fn detail(s: &Sandbox, with_token: bool) -> Value {
    let mut d = json!({
        "templateID": s.template, "sandboxID": s.id, "clientID": "test-client",
        "startedAt": rfc3339(s.started_at), "endAt": rfc3339(s.end_at),
        "cpuCount": 2, "memoryMB": 512, "diskSizeMB": 1024, "state": "running",
        "envdVersion": "0.2.0", "metadata": s.metadata,
        "allowInternetAccess": s.internet,
    });
    if let (true, Some(token)) = (with_token, &s.token) {
        d["envdAccessToken"] = json!(token);
    }
    d
}

fn list(state: &State, request: &Request) -> Response {
    let mut wanted = BTreeMap::new();
    let mut limit = 100usize;
    let mut skip = 0usize;
    for (name, value) in &request.query {
        match name.as_str() {
            "metadata" => match parse_query(value) {
                Some(pairs) => wanted.extend(pairs),
                None => return error(400, "metadata is not a query of encoded pairs"),
            },
            "limit" => match value.parse() {
                Ok(n) if (1..=100).contains(&n) => limit = n,
                _ => return error(400, "limit must be 1 to 100"),
            },
            "nextToken" => match value.parse() {
                Ok(n) => skip = n,
                Err(_) => return error(400, "bad nextToken"),
            },
            "state" | "order" | "startedAfter" | "template" => {}
            other => return error(400, &format!("unknown query parameter {other}")),
        }
    }
    let map = state.sandboxes.lock().unwrap();
    let mut found: Vec<&Sandbox> = map
        .values()
        .filter(|s| wanted.iter().all(|(k, v)| s.metadata.get(k) == Some(v)))
        .collect();
    found.sort_by_key(|s| s.started_at);
    let page: Vec<Value> = found
        .iter()
        .skip(skip)
        .take(limit)
        .map(|s| {
            let mut d = detail(s, false);
            // ListedSandbox has neither.
            d.as_object_mut().unwrap().remove("envdAccessToken");
            d.as_object_mut().unwrap().remove("allowInternetAccess");
            d
        })
        .collect();
    let mut answer = Response::json(200, &Value::Array(page));
    if found.len() > skip + limit {
        answer
            .headers
            .push(("X-Next-Token".into(), (skip + limit).to_string()));
    }
    answer
}

fn set_timeout(state: &State, id: &str, request: &Request) -> Response {
    let body = match json_body(request) {
        Ok(b) => b,
        Err(e) => return e,
    };
    if body.keys().any(|k| k != "timeout") {
        return error(400, "SandboxTimeoutRequest has only `timeout`");
    }
    let Some(timeout) = body.get("timeout").and_then(Value::as_u64) else {
        return error(400, "timeout is required, an int32 of at least 0");
    };
    with_sandbox(state, id, |s| {
        s.end_at = SystemTime::now() + Duration::from_secs(timeout);
        Response::empty(204)
    })
}
