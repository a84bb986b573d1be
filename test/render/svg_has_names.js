// svg_has_names.js SVG_FILE NAMES_JSON_FILE
//
// Checks that a rendered diagram shows every name: the SVG's text (tags
// stripped, character references decoded, white space collapsed) must
// contain each name of the JSON array, written the way schema_oracle draws
// names (control characters as their Unicode control pictures; a word
// joiner U+2060 Mermaid needs between some characters is ignored).
// Prints the missing names and exits 1 when any is missing.
'use strict';
const fs = require('fs');

const [svgFile, namesFile] = process.argv.slice(2);
const svg = fs.readFileSync(svgFile, 'utf8');
const names = JSON.parse(fs.readFileSync(namesFile, 'utf8'));

const entities = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };
function decode(s) {
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e) => {
        if (e[0] === '#') {
            const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            return String.fromCodePoint(cp);
        }
        return entities[e] !== undefined ? entities[e] : m;
    });
}
function pictures(s) {
    return s.replace(/[\u0001-\u001f]/g, c => String.fromCodePoint(0x2400 + c.codePointAt(0)))
            .replace(/\u007f/g, '\u2421');
}
const squash = s => s.replace(/\u2060/g, '').replace(/\s+/g, ' ');

// Text nodes only: drop <style> and <script> bodies, then every tag.
const body = svg.replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<script[\s\S]*?<\/script>/g, ' ');
const text = squash(decode(body.replace(/<[^>]*>/g, ' ')));
const missing = names.filter(n => !text.includes(squash(pictures(n)).trim()));
if (missing.length > 0) {
    console.log(`${svgFile}: ${missing.length} of ${names.length} names not drawn:`);
    for (const n of missing) console.log('    ' + JSON.stringify(n));
    process.exit(1);
}
console.log(`${svgFile}: all ${names.length} names drawn`);
