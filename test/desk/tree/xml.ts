/**
 * A strict little XML reader for the tree's tests: it refuses what an XML parser refuses (unbalanced
 * or crossed tags, unquoted or duplicate attributes, a raw `<` or a bare `&` in text or values,
 * more than one root) and returns a tree to query. Node has no DOMParser; the browser test parses
 * the same markup with Chromium's.
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw '<' in ${where}: ${raw.slice(0, 80)}`);
  if (raw.replace(ENTITY, '').includes('&')) throw new Error(`bare '&' in ${where}: ${raw.slice(0, 80)}`);
  return raw.replace(ENTITY, (e) =>
    e === '&amp;' ? '&' : e === '&lt;' ? '<' : e === '&gt;' ? '>' : e === '&quot;' ? '"' : e === '&apos;' ? "'" : String.fromCodePoint(Number(e.startsWith('&#x') ? `0x${e.slice(3, -1)}` : e.slice(2, -1))),
  );
}

function parseAttrs(source: string, tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  let rest = source;
  while (rest.trim() !== '') {
    const m = /^\s+([^\s=]+)="([^"]*)"/.exec(rest) ?? /^\s+([^\s=]+)='([^']*)'/.exec(rest);
    if (!m) throw new Error(`malformed attributes in <${tag}>: ${rest.slice(0, 80)}`);
    const [whole, name, value] = m as unknown as [string, string, string];
    if (!NAME.test(name)) throw new Error(`bad attribute name ${name} in <${tag}>`);
    if (name in attrs) throw new Error(`duplicate attribute ${name} in <${tag}>`);
    attrs[name] = decode(value, `attribute ${name} of <${tag}>`);
    rest = rest.slice(whole.length);
  }
  return attrs;
}

/** Parses `markup` (one root element, optional leading whitespace) or throws what is wrong. */
export function parseXml(markup: string): XmlElement {
  type Open = { name: string; attrs: Record<string, string>; children: (XmlElement | string)[] };
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const close = (el: Open) => {
    const done: XmlElement = { name: el.name, attrs: el.attrs, children: el.children };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(done);
    else if (root) throw new Error('more than one root element');
    else root = done;
  };
  while (i < markup.length) {
    const lt = markup.indexOf('<', i);
    const textEnd = lt === -1 ? markup.length : lt;
    const raw = markup.slice(i, textEnd);
    if (raw !== '') {
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (raw.trim() !== '') throw new Error(`text outside the root: ${raw.slice(0, 40)}`);
      } else parent.children.push(decode(raw, `text of <${parent.name}>`));
    }
    if (lt === -1) break;
    const gt = markup.indexOf('>', lt);
    if (gt === -1) throw new Error('unterminated tag');
    const tag = markup.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      close(open);
    } else {
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const name = /^[^\s/]+/.exec(body)?.[0] ?? '';
      if (!NAME.test(name)) throw new Error(`bad element name <${name}>`);
      const el: Open = { name, attrs: parseAttrs(body.slice(name.length), name), children: [] };
      if (selfClosing) close(el);
      else stack.push(el);
    }
    i = gt + 1;
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element under (and including) `el`, depth first. */
export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap((c) => (typeof c === 'string' ? [] : allElements(c)))];
}

/** The text content of `el`. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Elements whose class list holds `name`. */
export function byClass(root: XmlElement, name: string): XmlElement[] {
  return allElements(root).filter((e) => (e.attrs['class'] ?? '').split(/\s+/).includes(name));
}
