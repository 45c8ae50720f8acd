//! The layers check: `core` ← `platform` ← `features` ← `app`. A module may use modules of
//! its own layer and of the layers below, never one above; every top-level module must be
//! given a layer here; and the top-level modules import each other without a cycle, within a
//! layer too. Run by `cargo test` in CI, so an upward import or a cycle fails the build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lowest first.
const LAYERS: [(&str, &[&str]); 4] = [
    (
        "core",
        &[
            "clock",
            "config",
            "db",
            "domain",
            "settings",
            "code_enum",
            "parse_by_code",
            "read_from_text",
        ],
    ),
    (
        "platform",
        &["access", "audit", "auth", "email", "ops", "records", "views", "web"],
    ),
    (
        "features",
        &[
            "admin",
            "board",
            "dashboards",
            "episodes",
            "governance",
            "signin",
            "handover",
            "justice",
            "mhtr",
            "partners",
            "people",
            "referrals",
            "reports",
            "retention",
            "returns",
            "safeguarding",
            "sharing",
            "shifts",
            "sites",
            "vetting",
        ],
    ),
    ("app", &["app", "bench", "cli", "demo", "generate", "lib", "main"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

/// The module path of a file under `src/`: `episodes/page.rs` → [episodes, page];
/// `episodes/mod.rs` → [episodes]; `lib.rs` → [].
fn module_path(relative: &str) -> Vec<String> {
    let mut parts: Vec<String> = relative.trim_end_matches(".rs").split('/').map(String::from).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// Source without comments, so prose that names a module is not an import.
fn without_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifier at the start of `rest`.
fn leading_ident(rest: &str) -> &str {
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The top-level modules a file refers to: through `crate::x`, or through enough `super::`
/// to reach the crate root.
fn referenced(relative: &str, source: &str) -> BTreeSet<String> {
    let depth = module_path(relative).len();
    let code = without_comments(source);
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().last();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        found.insert(leading_ident(&code[at + "crate::".len()..]).to_string());
    }
    if depth > 0 {
        let climb = "super::".repeat(depth);
        for (at, _) in code.match_indices(&climb) {
            let rest = &code[at + climb.len()..];
            // Inside an inline module (`mod tests`) the same climb stops short of the root, so
            // only names of top-level modules count.
            let name = leading_ident(rest);
            if !rest.starts_with("super::") && layer_of(name).is_some() {
                found.insert(name.to_string());
            }
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

/// Every import from a lower layer to a higher one, and every module without a layer.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (relative, source) in files {
        let path = module_path(relative);
        let own = path.first().map_or("lib", String::as_str);
        let Some(own_layer) = layer_of(own) else {
            problems.push(format!(
                "src/{relative}: module `{own}` has no layer in tests/layers.rs"
            ));
            continue;
        };
        for target in referenced(relative, source) {
            if target == own {
                continue;
            }
            match layer_of(&target) {
                Some(layer) if layer > own_layer => problems.push(format!(
                    "src/{relative}: `{own}` ({}) uses `{target}` ({}), a higher layer",
                    LAYERS[own_layer].0, LAYERS[layer].0
                )),
                Some(_) => {}
                None if own_layer == 0 || is_module(&target) => {
                    problems.push(format!("src/{relative}: uses `{target}`, which has no layer"))
                }
                None => {}
            }
        }
    }
    problems
}

/// Which top-level modules each top-level module uses.
fn module_graph(files: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (relative, source) in files {
        let own = module_path(relative).first().cloned().unwrap_or_else(|| "lib".into());
        let uses = graph.entry(own.clone()).or_default();
        uses.extend(
            referenced(relative, source)
                .into_iter()
                .filter(|t| *t != own && is_module(t)),
        );
    }
    graph
}

/// Every cycle of imports between top-level modules, each as the path that closes it
/// (`a -> b -> a`), found by a depth-first walk.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn walk<'g>(
        node: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
        found: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node);
            found.push(cycle.join(" -> "));
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            walk(next, graph, path, done, found);
        }
        path.pop();
        done.insert(node);
    }
    let (mut done, mut found) = (BTreeSet::new(), Vec::new());
    for node in graph.keys() {
        walk(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

/// Lower-case names are modules; anything else after `crate::` (a macro, a type re-exported
/// at the root) is not layered.
fn is_module(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, std::fs::read_to_string(&path).expect("read source")));
        }
    }
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    assert!(files.len() > 100, "found the sources");
    let problems = violations(&files);
    assert!(problems.is_empty(), "layer violations:\n{}", problems.join("\n"));
    let found = cycles(&module_graph(&files));
    assert!(found.is_empty(), "import cycles between modules:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_upward_imports_and_ignores_comments() {
    let file = |path: &str, source: &str| vec![(path.to_string(), source.to_string())];
    let upward = violations(&file("domain/person.rs", "use crate::episodes::Episode;\n"));
    assert_eq!(upward.len(), 1, "{upward:?}");
    assert!(upward[0].contains("`domain` (core) uses `episodes` (features)"));
    assert_eq!(
        violations(&file("views/layout.rs", "let x = crate::mhtr::is_mhtr_member(u);")).len(),
        1
    );
    let climbing = violations(&file("web/error/page.rs", "use super::super::super::people::Person;"));
    assert_eq!(climbing.len(), 1, "super:: up to the crate root: {climbing:?}");
    assert!(violations(&file("domain/person.rs", "// see crate::episodes for the rest\n")).is_empty());
    assert!(
        violations(&file(
            "episodes/page.rs",
            "use crate::web::context::Ctx;\nuse super::access;"
        ))
        .is_empty()
    );
    let unplaced = violations(&file("newthing/mod.rs", "use crate::db::DbConnection;"));
    assert!(unplaced[0].contains("has no layer"), "{unplaced:?}");
}

#[test]
fn the_check_finds_a_cycle_within_a_layer() {
    let files = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter().map(|(p, s)| (p.to_string(), s.to_string())).collect()
    };
    let tangled = files(&[
        ("episodes/page.rs", "use crate::referrals::Referral;"),
        ("referrals/mod.rs", "use crate::people::Person;"),
        ("people/page.rs", "use crate::episodes::Episode;"),
        ("shifts/mod.rs", "use crate::people::Person;"),
    ]);
    let found = cycles(&module_graph(&tangled));
    assert_eq!(found, vec!["episodes -> referrals -> people -> episodes"], "{found:?}");
    let straight = files(&[
        (
            "episodes/page.rs",
            "use crate::referrals::Referral;\nuse crate::records::Person;",
        ),
        ("referrals/mod.rs", "use crate::records::Person;"),
    ]);
    assert!(cycles(&module_graph(&straight)).is_empty());
}
