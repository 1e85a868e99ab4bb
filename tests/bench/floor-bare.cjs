// The bare node:http server of `npm run bench`: the same fixed page as the framework floor (FLOOR_PAGE), no framework.
const page = require('node:fs').readFileSync(process.env.FLOOR_PAGE, 'utf8');
const s = require('node:http').createServer((q, r) => {
  r.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
  r.end(page);
});
s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));
