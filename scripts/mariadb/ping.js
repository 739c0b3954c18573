// Exits 0 when a MySQL/MariaDB server answers `SELECT 1` as root (empty password) on 127.0.0.1:<port>.
const mysql = require('mysql2/promise');
const port = Number(process.argv[2] || 3307);
mysql
  .createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 })
  .then(async (conn) => {
    await conn.query('SELECT 1');
    await conn.end();
    process.exit(0);
  })
  .catch(() => process.exit(1));
