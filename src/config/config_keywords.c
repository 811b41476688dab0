/* The keywords of ssh_config(5) as OpenSSH 9.2 knows them: how each is
 * read, the names of multi-state values, the aliases and the words that
 * are accepted and ignored. */
#include "config/config_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sshkit/session.h>

/* In every table, "no"/"false" is 0 and ssh -G prints the first name with
 * a value. */
const struct sk_cfg_choice sk_cfg_flag_choices[] = {
    { "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 }, { NULL, -1 }
};
static const struct sk_cfg_choice yesnoask[] = {
    { "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 }, { "ask", 2 }, { NULL, -1 }
};
static const struct sk_cfg_choice strict_hostkey[] = {
    { "true", 2 }, { "false", 0 }, { "yes", 2 }, { "no", 0 }, { "ask", 3 }, { "off", 0 },
    { "accept-new", 1 }, { NULL, -1 }
};
static const struct sk_cfg_choice address_family[] = {
    { "inet", 1 }, { "inet6", 2 }, { "any", 0 }, { NULL, -1 }
};
static const struct sk_cfg_choice control_master[] = {
    { "true", 1 }, { "yes", 1 }, { "false", 0 }, { "no", 0 }, { "auto", 2 }, { "ask", 3 },
    { "autoask", 4 }, { NULL, -1 }
};
/* "yes" is point-to-point, so ssh -G prints it so. */
static const struct sk_cfg_choice tunnel[] = {
    { "ethernet", 2 }, { "point-to-point", 1 }, { "true", 1 }, { "yes", 1 }, { "false", 0 },
    { "no", 0 }, { NULL, -1 }
};
static const struct sk_cfg_choice request_tty[] = {
    { "true", 2 }, { "yes", 2 }, { "false", 0 }, { "no", 0 }, { "force", 3 }, { "auto", 1 },
    { NULL, -1 }
};
static const struct sk_cfg_choice session_type[] = {
    { "none", 0 }, { "subsystem", 1 }, { "default", 2 }, { NULL, -1 }
};
static const struct sk_cfg_choice canonicalize[] = {
    { "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 }, { "always", 2 }, { NULL, -1 }
};
static const struct sk_cfg_choice pubkey_auth[] = {
    { "true", 3 }, { "false", 0 }, { "yes", 3 }, { "no", 0 }, { "unbound", 1 },
    { "host-bound", 2 }, { NULL, -1 }
};
/* OpenSSH 9.2 takes only these two words for Compression. */
static const struct sk_cfg_choice compression[] = {
    { "yes", 1 }, { "no", 0 }, { NULL, -1 }
};
/* Debian's ssh names the quietest level SILENT (for -qq) and prints it so. */
const struct sk_cfg_choice sk_cfg_loglevel_choices[] = {
    { "SILENT", 0 }, { "QUIET", 0 }, { "FATAL", 1 }, { "ERROR", 2 }, { "INFO", 3 }, { "VERBOSE", 4 },
    { "DEBUG", 5 }, { "DEBUG1", 5 }, { "DEBUG2", 6 }, { "DEBUG3", 7 }, { NULL, -1 }
};
const struct sk_cfg_choice sk_cfg_facility_choices[] = {
    { "DAEMON", 0 }, { "USER", 1 }, { "AUTH", 2 }, { "AUTHPRIV", 3 }, { "LOCAL0", 4 },
    { "LOCAL1", 5 }, { "LOCAL2", 6 }, { "LOCAL3", 7 }, { "LOCAL4", 8 }, { "LOCAL5", 9 },
    { "LOCAL6", 10 }, { "LOCAL7", 11 }, { NULL, -1 }
};
/* DSCP and the old TOS names; "le" and "reliability" share a value, and
 * ssh -G prints "le" for both. */
const struct sk_cfg_choice sk_cfg_ipqos_choices[] = {
    { "none", 0x7fffffff }, { "af11", 0x28 }, { "af12", 0x30 }, { "af13", 0x38 },
    { "af21", 0x48 }, { "af22", 0x50 }, { "af23", 0x58 }, { "af31", 0x68 }, { "af32", 0x70 },
    { "af33", 0x78 }, { "af41", 0x88 }, { "af42", 0x90 }, { "af43", 0x98 }, { "cs0", 0x00 },
    { "cs1", 0x20 }, { "cs2", 0x40 }, { "cs3", 0x60 }, { "cs4", 0x80 }, { "cs5", 0xa0 },
    { "cs6", 0xc0 }, { "cs7", 0xe0 }, { "ef", 0xb8 }, { "le", 0x04 }, { "lowdelay", 0x10 },
    { "throughput", 0x08 }, { "reliability", 0x04 }, { NULL, -1 }
};
static const struct sk_cfg_choice fingerprint_hash[] = {
    { "MD5", 0 }, { "SHA1", 1 }, { "SHA256", 2 }, { "SHA384", 3 }, { "SHA512", 4 }, { NULL, -1 }
};

#define FLAG(n) { n, SK_KIND_FLAG, sk_cfg_flag_choices, 0 }
#define MULTI(n, t) { n, SK_KIND_MULTI, t, 0 }
#define KIND(n, k) { n, k, NULL, 0 }
#define ALGS(n, a) { n, SK_KIND_ALGS, NULL, a }
#define CHOICE(n, k, t) { n, k, t, 0 }

const struct sk_cfg_keyword sk_cfg_keywords[SK_KW_COUNT] = {
    [SK_KW_FORWARDAGENT] = KIND("forwardagent", SK_KIND_FORWARDAGENT),
    [SK_KW_FORWARDX11] = FLAG("forwardx11"),
    [SK_KW_FORWARDX11TRUSTED] = FLAG("forwardx11trusted"),
    [SK_KW_FORWARDX11TIMEOUT] = KIND("forwardx11timeout", SK_KIND_TIME),
    [SK_KW_EXITONFORWARDFAILURE] = FLAG("exitonforwardfailure"),
    [SK_KW_XAUTHLOCATION] = KIND("xauthlocation", SK_KIND_STRING),
    [SK_KW_GATEWAYPORTS] = FLAG("gatewayports"),
    [SK_KW_PASSWORDAUTHENTICATION] = FLAG("passwordauthentication"),
    [SK_KW_KBDINTERACTIVEAUTHENTICATION] = FLAG("kbdinteractiveauthentication"),
    [SK_KW_KBDINTERACTIVEDEVICES] = KIND("kbdinteractivedevices", SK_KIND_STRING),
    [SK_KW_PUBKEYAUTHENTICATION] = MULTI("pubkeyauthentication", pubkey_auth),
    [SK_KW_HOSTBASEDAUTHENTICATION] = FLAG("hostbasedauthentication"),
    [SK_KW_GSSAPIAUTHENTICATION] = FLAG("gssapiauthentication"),
    [SK_KW_GSSAPIDELEGATECREDENTIALS] = FLAG("gssapidelegatecredentials"),
    [SK_KW_PKCS11PROVIDER] = KIND("pkcs11provider", SK_KIND_STRING),
    [SK_KW_IDENTITYFILE] = KIND("identityfile", SK_KIND_PATH_ACCUM),
    [SK_KW_IDENTITIESONLY] = FLAG("identitiesonly"),
    [SK_KW_CERTIFICATEFILE] = KIND("certificatefile", SK_KIND_PATH_ACCUM),
    [SK_KW_ADDKEYSTOAGENT] = KIND("addkeystoagent", SK_KIND_ADDKEYS),
    [SK_KW_IDENTITYAGENT] = KIND("identityagent", SK_KIND_AGENT),
    [SK_KW_HOSTNAME] = KIND("hostname", SK_KIND_STRING),
    [SK_KW_HOSTKEYALIAS] = KIND("hostkeyalias", SK_KIND_STRING),
    [SK_KW_PROXYCOMMAND] = KIND("proxycommand", SK_KIND_COMMAND),
    [SK_KW_PORT] = KIND("port", SK_KIND_PORT),
    [SK_KW_CIPHERS] = ALGS("ciphers", SSHKIT_ALG_CIPHER),
    [SK_KW_MACS] = ALGS("macs", SSHKIT_ALG_MAC),
    [SK_KW_REMOTEFORWARD] = KIND("remoteforward", SK_KIND_FORWARD),
    [SK_KW_LOCALFORWARD] = KIND("localforward", SK_KIND_FORWARD),
    [SK_KW_PERMITREMOTEOPEN] = KIND("permitremoteopen", SK_KIND_REMOTEOPEN),
    [SK_KW_USER] = KIND("user", SK_KIND_STRING),
    [SK_KW_ESCAPECHAR] = KIND("escapechar", SK_KIND_ESCAPECHAR),
    [SK_KW_GLOBALKNOWNHOSTSFILE] = KIND("globalknownhostsfile", SK_KIND_WORDS),
    [SK_KW_USERKNOWNHOSTSFILE] = KIND("userknownhostsfile", SK_KIND_WORDS),
    [SK_KW_CONNECTIONATTEMPTS] = KIND("connectionattempts", SK_KIND_INT),
    [SK_KW_BATCHMODE] = FLAG("batchmode"),
    [SK_KW_CHECKHOSTIP] = FLAG("checkhostip"),
    [SK_KW_STRICTHOSTKEYCHECKING] = MULTI("stricthostkeychecking", strict_hostkey),
    [SK_KW_COMPRESSION] = MULTI("compression", compression),
    [SK_KW_TCPKEEPALIVE] = FLAG("tcpkeepalive"),
    [SK_KW_NUMBEROFPASSWORDPROMPTS] = KIND("numberofpasswordprompts", SK_KIND_INT),
    [SK_KW_SYSLOGFACILITY] = CHOICE("syslogfacility", SK_KIND_FACILITY, sk_cfg_facility_choices),
    [SK_KW_LOGLEVEL] = CHOICE("loglevel", SK_KIND_LOGLEVEL, sk_cfg_loglevel_choices),
    [SK_KW_LOGVERBOSE] = KIND("logverbose", SK_KIND_WORDS),
    [SK_KW_DYNAMICFORWARD] = KIND("dynamicforward", SK_KIND_FORWARD),
    [SK_KW_PREFERREDAUTHENTICATIONS] = KIND("preferredauthentications", SK_KIND_STRING),
    [SK_KW_HOSTKEYALGORITHMS] = ALGS("hostkeyalgorithms", SSHKIT_ALG_HOSTKEY),
    [SK_KW_CASIGNATUREALGORITHMS] = ALGS("casignaturealgorithms", SSHKIT_ALG_HOSTKEY),
    [SK_KW_BINDADDRESS] = KIND("bindaddress", SK_KIND_STRING),
    [SK_KW_BINDINTERFACE] = KIND("bindinterface", SK_KIND_STRING),
    [SK_KW_CLEARALLFORWARDINGS] = FLAG("clearallforwardings"),
    [SK_KW_ENABLESSHKEYSIGN] = FLAG("enablesshkeysign"),
    [SK_KW_VERIFYHOSTKEYDNS] = MULTI("verifyhostkeydns", yesnoask),
    [SK_KW_NOHOSTAUTHENTICATIONFORLOCALHOST] = FLAG("nohostauthenticationforlocalhost"),
    [SK_KW_REKEYLIMIT] = KIND("rekeylimit", SK_KIND_REKEYLIMIT),
    [SK_KW_CONNECTTIMEOUT] = KIND("connecttimeout", SK_KIND_TIME),
    [SK_KW_ADDRESSFAMILY] = MULTI("addressfamily", address_family),
    [SK_KW_SERVERALIVEINTERVAL] = KIND("serveraliveinterval", SK_KIND_TIME),
    [SK_KW_SERVERALIVECOUNTMAX] = KIND("serveralivecountmax", SK_KIND_INT),
    [SK_KW_SENDENV] = KIND("sendenv", SK_KIND_SENDENV),
    [SK_KW_SETENV] = KIND("setenv", SK_KIND_SETENV),
    [SK_KW_CONTROLPATH] = KIND("controlpath", SK_KIND_STRING),
    [SK_KW_CONTROLMASTER] = MULTI("controlmaster", control_master),
    [SK_KW_CONTROLPERSIST] = KIND("controlpersist", SK_KIND_PERSIST),
    [SK_KW_HASHKNOWNHOSTS] = FLAG("hashknownhosts"),
    [SK_KW_TUNNEL] = MULTI("tunnel", tunnel),
    [SK_KW_TUNNELDEVICE] = KIND("tunneldevice", SK_KIND_TUNNELDEVICE),
    [SK_KW_LOCALCOMMAND] = KIND("localcommand", SK_KIND_COMMAND),
    [SK_KW_PERMITLOCALCOMMAND] = FLAG("permitlocalcommand"),
    [SK_KW_REMOTECOMMAND] = KIND("remotecommand", SK_KIND_COMMAND),
    [SK_KW_VISUALHOSTKEY] = FLAG("visualhostkey"),
    [SK_KW_KEXALGORITHMS] = ALGS("kexalgorithms", SSHKIT_ALG_KEX),
    [SK_KW_IPQOS] = CHOICE("ipqos", SK_KIND_IPQOS, sk_cfg_ipqos_choices),
    [SK_KW_REQUESTTTY] = MULTI("requesttty", request_tty),
    [SK_KW_SESSIONTYPE] = MULTI("sessiontype", session_type),
    [SK_KW_STDINNULL] = FLAG("stdinnull"),
    [SK_KW_FORKAFTERAUTHENTICATION] = FLAG("forkafterauthentication"),
    [SK_KW_PROXYUSEFDPASS] = FLAG("proxyusefdpass"),
    [SK_KW_CANONICALDOMAINS] = KIND("canonicaldomains", SK_KIND_DOMAINS),
    [SK_KW_CANONICALIZEFALLBACKLOCAL] = FLAG("canonicalizefallbacklocal"),
    [SK_KW_CANONICALIZEHOSTNAME] = MULTI("canonicalizehostname", canonicalize),
    [SK_KW_CANONICALIZEMAXDOTS] = KIND("canonicalizemaxdots", SK_KIND_INT),
    [SK_KW_CANONICALIZEPERMITTEDCNAMES] = KIND("canonicalizepermittedcnames", SK_KIND_CNAMES),
    [SK_KW_STREAMLOCALBINDMASK] = KIND("streamlocalbindmask", SK_KIND_MASK),
    [SK_KW_STREAMLOCALBINDUNLINK] = FLAG("streamlocalbindunlink"),
    [SK_KW_REVOKEDHOSTKEYS] = KIND("revokedhostkeys", SK_KIND_STRING),
    [SK_KW_FINGERPRINTHASH] = CHOICE("fingerprinthash", SK_KIND_FPHASH, fingerprint_hash),
    [SK_KW_UPDATEHOSTKEYS] = MULTI("updatehostkeys", yesnoask),
    [SK_KW_HOSTBASEDACCEPTEDALGORITHMS] = ALGS("hostbasedacceptedalgorithms", SSHKIT_ALG_HOSTKEY),
    [SK_KW_PUBKEYACCEPTEDALGORITHMS] = ALGS("pubkeyacceptedalgorithms", SSHKIT_ALG_HOSTKEY),
    [SK_KW_IGNOREUNKNOWN] = KIND("ignoreunknown", SK_KIND_STRING),
    [SK_KW_PROXYJUMP] = KIND("proxyjump", SK_KIND_JUMP),
    [SK_KW_SECURITYKEYPROVIDER] = KIND("securitykeyprovider", SK_KIND_STRING),
    [SK_KW_KNOWNHOSTSCOMMAND] = KIND("knownhostscommand", SK_KIND_COMMAND),
    [SK_KW_REQUIREDRSASIZE] = KIND("requiredrsasize", SK_KIND_INT),
    [SK_KW_ENABLEESCAPECOMMANDLINE] = FLAG("enableescapecommandline"),
};

/* Other words: aliases, structure, and what ssh accepts and ignores. */
static const struct {
    const char *name;
    int id;
} other_words[] = {
    { "host", SK_KW_HOST }, { "match", SK_KW_MATCH }, { "include", SK_KW_INCLUDE },
    { "challengeresponseauthentication", SK_KW_KBDINTERACTIVEAUTHENTICATION },
    { "skeyauthentication", SK_KW_KBDINTERACTIVEAUTHENTICATION },
    { "tisauthentication", SK_KW_KBDINTERACTIVEAUTHENTICATION },
    { "dsaauthentication", SK_KW_PUBKEYAUTHENTICATION },
    { "identityfile2", SK_KW_IDENTITYFILE }, { "keepalive", SK_KW_TCPKEEPALIVE },
    { "smartcarddevice", SK_KW_PKCS11PROVIDER },
    { "hostbasedkeytypes", SK_KW_HOSTBASEDACCEPTEDALGORITHMS },
    { "pubkeyacceptedkeytypes", SK_KW_PUBKEYACCEPTEDALGORITHMS },
    { "protocol", SK_KW_IGNORE },
    { "cipher", SK_KW_DEPRECATED }, { "fallbacktorsh", SK_KW_DEPRECATED },
    { "globalknownhostsfile2", SK_KW_DEPRECATED }, { "rhostsauthentication", SK_KW_DEPRECATED },
    { "userknownhostsfile2", SK_KW_DEPRECATED }, { "useroaming", SK_KW_DEPRECATED },
    { "usersh", SK_KW_DEPRECATED }, { "useprivilegedport", SK_KW_DEPRECATED },
    { "afstokenpassing", SK_KW_UNSUPPORTED }, { "kerberosauthentication", SK_KW_UNSUPPORTED },
    { "kerberostgtpassing", SK_KW_UNSUPPORTED }, { "rsaauthentication", SK_KW_UNSUPPORTED },
    { "rhostsrsaauthentication", SK_KW_UNSUPPORTED }, { "compressionlevel", SK_KW_UNSUPPORTED },
};

int sk_cfg_lookup(const char *word)
{
    for (int i = 0; i < SK_KW_COUNT; i++)
        if (strcasecmp(word, sk_cfg_keywords[i].name) == 0)
            return i;
    for (size_t i = 0; i < sizeof other_words / sizeof other_words[0]; i++)
        if (strcasecmp(word, other_words[i].name) == 0)
            return other_words[i].id;
    return SK_KW_UNKNOWN;
}

int sk_cfg_setting(const char *word)
{
    if (word == NULL)
        return -1;
    int id = sk_cfg_lookup(word);
    return id >= 0 ? id : -1;
}

const char *sk_cfg_choice_name(const struct sk_cfg_choice *table, int value)
{
    for (size_t i = 0; table[i].name; i++)
        if (table[i].value == value)
            return table[i].name;
    return "UNKNOWN";
}

int sk_cfg_choice_value(const struct sk_cfg_choice *table, const char *name)
{
    for (size_t i = 0; table[i].name; i++)
        if (strcasecmp(table[i].name, name) == 0)
            return table[i].value;
    return -1;
}

const char *sshkit_config_keyword(size_t index)
{
    return index < SK_KW_COUNT ? sk_cfg_keywords[index].name : NULL;
}
