/**
 * `docs/kernel-library.md` is generated from the TSDoc of `src/kernel/` by the TypeScript
 * compiler API: the library's header (src/kernel/index.ts), then per file in the order
 * index.ts re-exports them, the file's header and each export with its signature and its doc.
 *
 *   npm run docs            # write docs/kernel-library.md
 *   npm run docs -- --check # exit 1 if the checked-in file differs (scripts/docs.test.ts does this in npm test)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '..');
export const KERNEL_DOC = join(ROOT, 'docs/kernel-library.md');
const INDEX = join(ROOT, 'src/kernel/index.ts');

/** The file's header: its first `/** … *\/` comment when it comes before any code. */
function fileHeader(sf: ts.SourceFile): string | undefined {
  const first = sf.statements[0];
  const ranges = ts.getLeadingCommentRanges(sf.text, first ? first.getFullStart() : 0) ?? [];
  const doc = ranges.find((r) => sf.text.startsWith('/**', r.pos));
  return doc && commentText(sf.text.slice(doc.pos, doc.end));
}

/** The text of a `/** … *\/` comment, without its stars, dedented. */
const commentText = (raw: string): string =>
  raw.replace(/^\/\*\*\s?/, '').replace(/\s*\*\/$/, '').split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n').trim()
    .replace(/^@example\n([\s\S]*?)(?=\n\n|\n@|(?![\s\S]))/gm, (_, code: string) => '```ts\n' + code + '\n```');

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/,\)/g, ')').trim();

/** The declaration as a TypeScript line (or block, for interfaces and types), bodies left out. */
function signature(name: string, decl: ts.Declaration, checker: ts.TypeChecker): string {
  const sf = decl.getSourceFile();
  const text = (n: ts.Node): string => n.getText(sf);
  const params = (f: ts.SignatureDeclarationBase): string =>
    `${f.typeParameters ? `<${f.typeParameters.map(text).join(', ')}>` : ''}(${f.parameters.map(text).join(', ')})`;
  const returns = (f: ts.SignatureDeclaration): string => {
    if (f.type) return `: ${text(f.type)}`;
    const sig = checker.getSignatureFromDeclaration(f);
    return sig ? `: ${checker.typeToString(checker.getReturnTypeOfSignature(sig), undefined, ts.TypeFormatFlags.NoTruncation)}` : '';
  };
  if (ts.isFunctionDeclaration(decl)) return oneLine(`function ${name}${params(decl)}${returns(decl)}`);
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && !decl.type) return oneLine(`const ${name}: ${params(init)} => ${returns(init).slice(2)}`);
    if (decl.type) return oneLine(`const ${name}: ${text(decl.type)}`);
    if (init && text(init).length <= 160 && !/\n/.test(text(init))) return `const ${name} = ${text(init)}`;
    return oneLine(`const ${name}: ${checker.typeToString(checker.getTypeAtLocation(decl), undefined, ts.TypeFormatFlags.NoTruncation)}`);
  }
  if (ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl) || ts.isEnumDeclaration(decl) || ts.isClassDeclaration(decl)) {
    // the declaration as written, with its members' docs; the leading doc is printed as text
    const start = decl.getStart(sf), body = sf.text.slice(start, decl.end);
    const indent = /\n( +)\S[^\n]*$/.exec(sf.text.slice(0, start))?.[1] ?? '';
    return body.replace(/^export (declare )?/, '').split('\n').map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
  }
  return `${ts.SyntaxKind[decl.kind]} ${name}`;
}

/** The symbol's doc as Markdown: the comment, then its tags (`@example` as a code block). */
function docOf(sym: ts.Symbol, checker: ts.TypeChecker): string {
  const body = ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
  const tags = sym.getJsDocTags(checker).map((t) => {
    const text = ts.displayPartsToString(t.text ?? []).trim();
    if (t.name === 'example') return '```ts\n' + text + '\n```';
    if (t.name === 'param') { const [p, ...rest] = text.split(/\s+/); return `- \`${p}\`${rest.length ? ': ' + rest.join(' ') : ''}`; }
    return `*@${t.name}*${text ? ' ' + text : ''}`;
  });
  return [body, ...tags].filter((s) => s !== '').join('\n\n');
}

export interface KernelExport { readonly name: string; readonly file: string; readonly documented: boolean }

/** The generated Markdown, and every export of src/kernel/index.ts with the file that declares it. */
export function kernelLibrary(): { markdown: string; exports: KernelExport[] } {
  const program = ts.createProgram([INDEX], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true, strict: true, skipLibCheck: true, types: [], lib: ['lib.es2023.d.ts'] });
  const checker = program.getTypeChecker(), index = program.getSourceFile(INDEX)!;
  const files = index.statements.filter(ts.isExportDeclaration).map((d) => resolve(ROOT, 'src/kernel', (d.moduleSpecifier as ts.StringLiteral).text));
  const byFile = new Map<string, { sym: ts.Symbol; decl: ts.Declaration; name: string }[]>(files.map((f) => [f, []]));
  for (const exp of checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    for (const decl of sym.declarations ?? []) {
      const file = decl.getSourceFile().fileName;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file)!.push({ sym, decl, name: exp.name });
    }
  }
  const exports: KernelExport[] = [];
  const out: string[] = [
    '# Kernel library',
    '',
    '<!-- Generated from the TSDoc of src/kernel/ by scripts/kernel-docs.ts (npm run docs): edit the sources, not this file. -->',
    '',
    fileHeader(index) ?? '',
    '',
    '## Files',
    '',
    ...[...byFile.keys()].map((f) => `- [\`${basename(f)}\`](#${basename(f).replace(/\./g, '')})${headline(program.getSourceFile(f)!)}`),
  ];
  for (const [file, decls] of byFile) {
    if (decls.length === 0) continue;
    const sf = program.getSourceFile(file)!;
    out.push('', `## ${basename(file)}`, '', `\`${relative(ROOT, file)}\``, '');
    const header = fileHeader(sf);
    if (header) out.push(header, '');
    const seen = new Set<string>();
    for (const { sym, decl, name } of decls.sort((a, b) => a.decl.getStart() - b.decl.getStart())) {
      const sig = signature(name, decl, checker);
      const doc = seen.has(name) ? '' : docOf(sym, checker);
      if (!seen.has(name)) exports.push({ name, file: relative(ROOT, file), documented: doc !== '' });
      seen.add(name);
      out.push(`### \`${name}\``, '', '```ts', sig, '```', '');
      if (doc) out.push(doc, '');
    }
  }
  return { markdown: out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n', exports };
}

/** ` — ` and the first sentence of a file's header, for the table of contents. */
function headline(sf: ts.SourceFile): string {
  const h = fileHeader(sf);
  if (!h) return '';
  const para = oneLine(h.split('\n\n')[0]!.replace(/^@internal\s*/, ''));
  const first = /^.*?\.(?=\s|$)/.exec(para)?.[0] ?? para;
  return ` — ${first.length > 200 ? first.slice(0, first.lastIndexOf(' ', 200)) + ' …' : first}`;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/kernel-docs.ts')) {
  const { markdown } = kernelLibrary();
  if (process.argv.includes('--check')) {
    const same = readFileSync(KERNEL_DOC, 'utf8') === markdown;
    if (!same) process.stderr.write(`kmc: ${relative(process.cwd(), KERNEL_DOC)} differs from the TSDoc of src/kernel/: run npm run docs\n`);
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(KERNEL_DOC, markdown);
    process.stdout.write(`wrote ${relative(process.cwd(), KERNEL_DOC)}\n`);
  }
}
