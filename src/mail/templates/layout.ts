/** The built-in HTML frame: one centred column, inline styles, as mail clients want; `lang` is the body's language. */
export function htmlLayout(body: string, lang = 'en'): string {
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{product}}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f5;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222">
<div style="max-width:480px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;line-height:1.5">
<p style="margin:0 0 16px;font-weight:600">{{product}}</p>
${body.trim()}
</div>
</body>
</html>
`;
}
