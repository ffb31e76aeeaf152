// The inbox's shape: small modules that import one another without a circle,
// one caller of fetch, no HTML from strings.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const DIR = new URL("../../leopard/static/", import.meta.url);
const modules = Object.fromEntries(
  readdirSync(DIR)
    .filter((name) => name.endsWith(".js"))
    .map((name) => [name, readFileSync(new URL(name, DIR), "utf8")]),
);
const imports = (source) => [...source.matchAll(/from "\.\/([\w-]+\.js)"/g)].map((m) => m[1]);

test("every module parses (those the page alone can load too)", () => {
  for (const name of Object.keys(modules)) {
    // Throws, with the syntax error, when one does not parse.
    execFileSync(process.execPath, ["--check", fileURLToPath(new URL(name, DIR))], { stdio: "pipe" });
  }
});

test("every module imports only modules that exist", () => {
  for (const [name, source] of Object.entries(modules)) {
    for (const dep of imports(source)) assert.ok(dep in modules, `${name} imports ${dep}`);
  }
});

test("the modules import one another without a circle", () => {
  const done = new Set();
  const visit = (name, path) => {
    assert.ok(!path.includes(name), `a circle: ${[...path, name].join(" → ")}`);
    if (done.has(name)) return;
    for (const dep of imports(modules[name])) visit(dep, [...path, name]);
    done.add(name);
  };
  for (const name of Object.keys(modules)) visit(name, []);
  // main.js reaches every module: none is left over.
  const reached = new Set();
  const walk = (name) => {
    if (reached.has(name)) return;
    reached.add(name);
    for (const dep of imports(modules[name])) walk(dep);
  };
  walk("main.js");
  assert.deepEqual([...reached].sort(), Object.keys(modules).sort());
});

test("no module is longer than about 300 lines", () => {
  for (const [name, source] of Object.entries(modules)) {
    const lines = source.split("\n").length;
    assert.ok(lines <= 300, `${name} has ${lines} lines`);
  }
});

test("only api.js calls fetch, and nothing writes HTML from a string", () => {
  for (const [name, text] of Object.entries(modules)) {
    const source = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    if (name !== "api.js") assert.doesNotMatch(source, /(?<![\w#])fetch\(/, name);
    assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, name);
  }
});
