//! Repository mode attacked at the point of use: a folder of the repository swapped
//! for a link to a host folder, back and forth as fast as the kernel allows, while the
//! repository is listed and its files read for a model. No name or byte of the host
//! folder may reach the selection, and the host folder stays as it was.

use codingit::repo::select::{select, SelectRequest};
use codingit::safefs::Root;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const CANARY: &str = "HOST_CANARY_must_never_be_sent = 1\n";

#[test]
fn a_folder_swapped_for_a_host_link_never_leaks_into_the_selection() {
    let _solo = crate::support::solo("attack_repo");
    let tmp = tempfile::tempdir().unwrap();
    let host = tmp.path().join("host");
    std::fs::create_dir_all(&host).unwrap();
    std::fs::write(host.join("hostonly_secret.py"), CANARY).unwrap();
    let repo = tmp.path().join("repo");
    let race = repo.join("race");
    std::fs::create_dir_all(&race).unwrap();
    std::fs::write(race.join("inside.py"), "def inside():\n    return 1\n").unwrap();
    std::fs::write(repo.join("main.py"), "from race.inside import inside\n").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let attacker = {
        let (race, host, stop) = (race.clone(), host.clone(), stop.clone());
        std::thread::spawn(move || {
            // `race` and `race.alt` trade places atomically: at any instant `race` is a
            // real folder or a link to the host folder. The attacker never writes
            // through either name.
            let alt = race.with_extension("alt");
            std::os::unix::fs::symlink(&host, &alt).unwrap();
            while !stop.load(Ordering::Relaxed) {
                let _ = rustix::fs::renameat_with(
                    rustix::fs::CWD,
                    &race,
                    rustix::fs::CWD,
                    &alt,
                    rustix::fs::RenameFlags::EXCHANGE,
                );
            }
        })
    };
    let root = Root::open(&repo.canonicalize().unwrap()).unwrap();
    let request = SelectRequest {
        instruction: "change inside and hostonly_secret",
        budget_tokens: 20_000,
        explicit: &[],
    };
    let (mut listed_inside, mut listed_swapped) = (0, 0);
    for _ in 0..400 {
        let selection = select(&repo, &root, &request).unwrap();
        for (path, text) in &selection.files {
            assert!(!text.contains("HOST_CANARY"), "host bytes sent from {path}");
        }
        assert!(
            !selection.map.contains("hostonly_secret"),
            "a host name reached the map:\n{}",
            selection.map
        );
        listed_inside += usize::from(selection.map.contains("race/inside.py"));
        listed_swapped += usize::from(selection.map.contains("race.alt/inside.py"));
    }
    stop.store(true, Ordering::Relaxed);
    attacker.join().unwrap();
    // The race was real: the repository's folder was seen at both of its names.
    assert!(
        listed_inside > 0 && listed_swapped > 0,
        "{listed_inside} {listed_swapped}"
    );
    assert_eq!(
        std::fs::read_to_string(host.join("hostonly_secret.py")).unwrap(),
        CANARY
    );
    assert_eq!(std::fs::read_dir(&host).unwrap().count(), 1);
}
