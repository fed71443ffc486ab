/**
 * Java's URLEncoder.encode(s, UTF-8), which NiFi uses for the EL urlEncode() function and for PutS3Object's
 * default Content-Disposition: letters, digits and `.-*_` stay, a space becomes `+`, every other UTF-8 byte
 * becomes `%XX` (upper-case hex). encodeURIComponent differs in `!'()~` (kept) and `*` (encoded).
 */
export function javaUrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2A/g, '*')
    .replace(/%20/g, '+');
}
