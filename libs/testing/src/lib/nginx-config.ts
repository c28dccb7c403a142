/**
 * the main config of an nginx the tests run themselves: in the foreground, quiet, and everything it
 * writes under `dir`. `http` is the body of the http block (upstreams and servers, or an include).
 */
export function nginxMainConfig(dir: string, http: string): string {
  return `daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log stderr error;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
${http}
}
`;
}
