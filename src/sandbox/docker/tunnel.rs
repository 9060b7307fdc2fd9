//! Previews without a network: a listener on 127.0.0.1 whose every connection is
//! relayed through the engine API (an exec-attached stream) to the app's port
//! inside the sandbox. Works with `network: none` and with a remote engine.

use super::connect::engine_error;
use crate::sandbox::{Preview, SandboxError};
use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::Docker;
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The relay inside the sandbox: python3 where present, else node.
const DISPATCH: &str = r#"if command -v python3 >/dev/null 2>&1; then exec python3 -c "$CODINGIT_RELAY_PY" "$1"; else exec node -e "$CODINGIT_RELAY_JS" "$1"; fi"#;

const RELAY_PY: &str = r#"import os, socket, sys, threading
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
def up():
    try:
        while True:
            d = os.read(0, 65536)
            if not d:
                break
            s.sendall(d)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass
threading.Thread(target=up, daemon=True).start()
out = sys.stdout.buffer
while True:
    d = s.recv(65536)
    if not d:
        break
    out.write(d)
    out.flush()
"#;

const RELAY_JS: &str = r#"const s = require("net").connect(+process.argv[1], "127.0.0.1");
process.stdin.pipe(s); s.pipe(process.stdout); s.on("error", () => process.exit(1));"#;

/// Ends the listener when the preview is dropped.
struct Guard(tokio::task::JoinHandle<()>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Listens on 127.0.0.1 (a free port) and relays each connection to `port`.
pub async fn expose(docker: Docker, container: String, port: u16) -> Result<Preview, SandboxError> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| SandboxError::Io(format!("cannot listen on 127.0.0.1: {e}")))?;
    let local_port = listener
        .local_addr()
        .map_err(|e| SandboxError::Io(format!("cannot listen on 127.0.0.1: {e}")))?
        .port();
    let task = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let docker = docker.clone();
            let container = container.clone();
            tokio::spawn(async move {
                if let Err(e) = relay(&docker, &container, port, socket).await {
                    tracing::debug!("preview connection ended: {e}");
                }
            });
        }
    });
    Ok(Preview {
        url: format!("http://127.0.0.1:{local_port}/"),
        local_port,
        guard: Box::new(Guard(task)),
    })
}

async fn relay(
    docker: &Docker,
    container: &str,
    port: u16,
    socket: TcpStream,
) -> Result<(), SandboxError> {
    let _ = socket.set_nodelay(true);
    let options = CreateExecOptions {
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        tty: Some(false),
        cmd: Some(vec![
            "sh".to_string(),
            "-c".into(),
            DISPATCH.into(),
            "sh".into(),
            port.to_string(),
        ]),
        env: Some(vec![
            format!("CODINGIT_RELAY_PY={RELAY_PY}"),
            format!("CODINGIT_RELAY_JS={RELAY_JS}"),
        ]),
        ..Default::default()
    };
    let exec = docker
        .create_exec(container, options)
        .await
        .map_err(|e| engine_error("opening a preview connection", e))?;
    let start = StartExecOptions {
        detach: false,
        tty: false,
        output_capacity: Some(1 << 20),
    };
    let StartExecResults::Attached {
        mut output,
        mut input,
    } = docker
        .start_exec(&exec.id, Some(start))
        .await
        .map_err(|e| engine_error("opening a preview connection", e))?
    else {
        return Ok(());
    };
    let (mut from_client, mut to_client) = socket.into_split();
    let up = async {
        let mut buf = vec![0u8; 64 << 10];
        loop {
            match from_client.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if input.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                    let _ = input.flush().await;
                }
            }
        }
        let _ = input.shutdown().await;
    };
    let down = async {
        while let Some(Ok(frame)) = output.next().await {
            if let LogOutput::StdOut { message } = frame {
                if to_client.write_all(&message).await.is_err() {
                    break;
                }
            }
        }
        let _ = to_client.shutdown().await;
    };
    tokio::pin!(up);
    tokio::pin!(down);
    tokio::select! {
        _ = &mut down => {}
        _ = &mut up => down.await,
    }
    Ok(())
}
