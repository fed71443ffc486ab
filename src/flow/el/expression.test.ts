import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from './date-format.js';
import { compileEl, ElTemplate } from './expression.js';

const attrs = { filename: 'customer_2024.csv', path: 'a/b/', 'absolute.path': '/in/a/b/', size: '10', 'my attr': 'x' };
const ev = (src: string, extra: Record<string, string> = {}): string =>
  ElTemplate.parse(src).evaluate({ attributes: { ...attrs, ...extra }, env: { HOME_DIR: '/home/u' }, now: () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)) });

describe('Expression Language', () => {
  it('substitutes attributes, quoted names and environment variables', () => {
    expect(ev('stream/${filename}')).toBe('stream/customer_2024.csv');
    expect(ev("${'my attr'}-${absolute.path}")).toBe('x-/in/a/b/');
    expect(ev('${HOME_DIR}/x')).toBe('/home/u/x');
    expect(ev('${missing}')).toBe('');
    expect(ev('$${filename}')).toBe('${filename}');
  });

  it('chains string functions', () => {
    expect(ev("${filename:substringBeforeLast('.')}")).toBe('customer_2024');
    expect(ev("${filename:substringAfterLast('.'):toUpper()}")).toBe('CSV');
    expect(ev("${filename:substringBefore('_'):append('-'):prepend('x')}")).toBe('xcustomer-');
    expect(ev("${filename:replaceAll('[0-9]+', 'N')}")).toBe('customer_N.csv');
    expect(ev("${filename:replace('.csv', '.gz')}")).toBe('customer_2024.gz');
    expect(ev('${filename:length()}')).toBe('17');
    expect(ev("${filename:substring(0, 3)}")).toBe('cus');
    expect(ev("${filename:urlEncode()}", { filename: 'a b&c' })).toBe('a+b%26c');
    // Java's URLEncoder: `*` kept, `!'()~` encoded, UTF-8 bytes upper-case.
    expect(ev("${filename:urlEncode()}", { filename: "it's (x)*~!ü" })).toBe('it%27s+%28x%29*%7E%21%C3%BC');
  });

  it('evaluates predicates, numbers and nested expressions', () => {
    expect(ev("${filename:endsWith('.csv')}")).toBe('true');
    expect(ev("${filename:matches('cust.*')}")).toBe('true');
    expect(ev("${filename:matches('cust')}")).toBe('false');
    expect(ev('${size:plus(5):multiply(2)}')).toBe('30');
    expect(ev('${size:gt(9):and(${size:lt(11)})}')).toBe('true');
    expect(ev("${filename:equals(${filename})}")).toBe('true');
    expect(ev("${missing:isNull():ifElse('y','n')}")).toBe('y');
    expect(ev("${missing:replaceNull('dflt')}")).toBe('dflt');
  });

  it('formats dates with Java patterns', () => {
    expect(ev("${now():format('yyyy/MM/dd HH:mm:ss.SSS', 'UTC')}")).toBe('2024/01/02 03:04:05.006');
    expect(ev("${now():toNumber()}")).toBe(String(Date.UTC(2024, 0, 2, 3, 4, 5, 6)));
    expect(ev("${d:toDate('yyyy-MM-dd', 'UTC'):format('EEE dd MMM yyyy', 'UTC')}", { d: '2024-03-01' })).toBe('Fri 01 Mar 2024');
    expect(formatDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), "yyyy-MM-dd'T'HH:mm:ssZ", 'America/New_York')).toBe('2024-01-01T22:04:05-0500');
    expect(parseDate('2024-01-01T22:04:05-0500', "yyyy-MM-dd'T'HH:mm:ssZ").getTime()).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
  });

  it('rejects malformed expressions with the column', () => {
    expect(() => compileEl('${filename:nope()}')).toThrow(/unknown function 'nope'/);
    expect(() => compileEl('${filename')).toThrow(/column \d+: expected "}"/);
    expect(() => compileEl("${filename:substring('a}")).toThrow(/unterminated string/);
    expect(compileEl('plain').isExpression).toBe(false);
    expect(compileEl('${a}${b:append(${c})}').attributeNames).toEqual(['a', 'b', 'c']);
  });
});
