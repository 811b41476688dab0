/* TEMPORARY (branch io only): stand-ins for the session engine and the
 * authentication layer, which land on main separately, so that the library
 * and its tests link meanwhile. Deleted when main is merged. Every function
 * fails with SSHKIT_E_UNSUPPORTED. */
#include <sshkit/auth.h>
#include <sshkit/error.h>
#include <sshkit/session.h>

int sshkit_session_new(sshkit_role role, sshkit_session **out) { (void)role; *out = NULL; return SSHKIT_E_UNSUPPORTED; }
void sshkit_session_free(sshkit_session *s) { (void)s; }
int sshkit_session_add_host_key(sshkit_session *s, const sshkit_key *k) { (void)s; (void)k; return SSHKIT_E_UNSUPPORTED; }
void sshkit_session_set_host_key_check(sshkit_session *s, sshkit_host_key_check_fn f, void *u) { (void)s; (void)f; (void)u; }
int sshkit_session_start(sshkit_session *s) { (void)s; return SSHKIT_E_UNSUPPORTED; }
int sshkit_session_receive(sshkit_session *s, const void *d, size_t n) { (void)s; (void)d; (void)n; return SSHKIT_E_UNSUPPORTED; }
size_t sshkit_session_pending(sshkit_session *s, const uint8_t **d) { (void)s; *d = NULL; return 0; }
void sshkit_session_sent(sshkit_session *s, size_t n) { (void)s; (void)n; }
int sshkit_session_next_event(sshkit_session *s, sshkit_event *e) { (void)s; (void)e; return 0; }
int sshkit_session_tick(sshkit_session *s, uint64_t t) { (void)s; (void)t; return 0; }
int sshkit_session_disconnect(sshkit_session *s, unsigned r, const char *m) { (void)s; (void)r; (void)m; return SSHKIT_E_UNSUPPORTED; }
bool sshkit_session_is_closed(const sshkit_session *s) { (void)s; return true; }
bool sshkit_session_is_secure(const sshkit_session *s) { (void)s; return false; }
int sshkit_auth_none(sshkit_session *s, const char *u) { (void)s; (void)u; return SSHKIT_E_UNSUPPORTED; }
int sshkit_auth_password(sshkit_session *s, const char *u, const char *p) { (void)s; (void)u; (void)p; return SSHKIT_E_UNSUPPORTED; }
int sshkit_auth_publickey(sshkit_session *s, const char *u, const sshkit_key *k) { (void)s; (void)u; (void)k; return SSHKIT_E_UNSUPPORTED; }
int sshkit_server_set_auth(sshkit_session *s, const sshkit_server_auth *a) { (void)s; (void)a; return SSHKIT_E_UNSUPPORTED; }
const char *sshkit_session_last_error(const sshkit_session *s) { (void)s; return "no engine yet"; }
bool sshkit_auth_is_done(const sshkit_session *s) { (void)s; return false; }
