#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reads the Zabbix template for the tests: its OIDs, discovery scripts, trap keys;
imports it into a Zabbix frontend over the API.

  zabbix_template.py oids TEMPLATE          kind<TAB>oid<TAB>key, one per SNMP OID
  zabbix_template.py js TEMPLATE RULE_KEY   the discovery rule's JavaScript
  zabbix_template.py lld TEMPLATE RULE_KEY  the discovery rule's SNMP OIDs, macro<TAB>oid
  zabbix_template.py traps TEMPLATE         regex<TAB>item name, per SNMP trap item
  zabbix_template.py counts TEMPLATE        what it holds, as the import below prints it
  zabbix_template.py import TEMPLATE URL    configuration.import as Admin; prints counts
"""
import json
import re
import sys
import urllib.request

import yaml


def template(path):
    with open(path, encoding='utf-8') as f:
        return yaml.safe_load(f)['zabbix_export']['templates'][0]


def discovery_oids(spec):
    """discovery[{#A},oid,{#B},oid] -> [(macro, oid)]"""
    inner = re.fullmatch(r'discovery\[(.*)\]', spec).group(1).split(',')
    return list(zip(inner[0::2], inner[1::2]))


def oids(t):
    for item in t.get('items', []):
        if item['type'] == 'SNMP_AGENT':
            print('scalar\t%s\t%s' % (item['snmp_oid'], item['key']))
    for rule in t.get('discovery_rules', []):
        for _, oid in discovery_oids(rule['snmp_oid']):
            print('column\t%s\t%s' % (oid, rule['key']))
        for proto in rule.get('item_prototypes', []):
            oid = proto['snmp_oid']
            if not oid.endswith('.{#SNMPINDEX}'):
                sys.exit('%s: prototype OID %s does not end in .{#SNMPINDEX}' % (proto['key'], oid))
            print('column\t%s\t%s' % (oid[:-len('.{#SNMPINDEX}')], proto['key']))


def rule(t, key):
    for r in t.get('discovery_rules', []):
        if r['key'] == key:
            return r
    sys.exit('no discovery rule %s' % key)


def traps(t):
    for item in t.get('items', []):
        if item['type'] == 'SNMP_TRAP':
            m = re.fullmatch(r'snmptrap\["(.*)"\]', item['key'])
            if not m:
                sys.exit('trap item %s has no regex' % item['key'])
            print('%s\t%s' % (m.group(1), item['name']))


def call(url, method, params, auth=None):
    body = {'jsonrpc': '2.0', 'method': method, 'params': params, 'id': 1}
    if auth:
        body['auth'] = auth
    req = urllib.request.Request(url, json.dumps(body).encode(),
                                 {'Content-Type': 'application/json-rpc'})
    with urllib.request.urlopen(req, timeout=120) as r:
        answer = json.load(r)
    if 'error' in answer:
        sys.exit('%s: %s' % (method, answer['error']))
    return answer['result']


def import_template(path, url):
    auth = call(url, 'user.login', {'username': 'Admin', 'password': 'zabbix'})
    with open(path, encoding='utf-8') as f:
        source = f.read()
    everything = {'createMissing': True, 'updateExisting': True}
    rules = {k: everything for k in ('templates', 'items', 'triggers', 'discoveryRules',
                                     'valueMaps')}
    rules['groups'] = {'createMissing': True}
    if call(url, 'configuration.import', {'format': 'yaml', 'source': source, 'rules': rules},
            auth) is not True:
        sys.exit('configuration.import did not return true')
    name = template(path)['template']
    got = call(url, 'template.get', {'filter': {'host': name}, 'selectItems': 'count',
                                     'selectDiscoveries': 'count', 'selectTriggers': 'count',
                                     'selectMacros': 'extend', 'selectValueMaps': 'extend'}, auth)
    if len(got) != 1:
        sys.exit('template %s not found after the import' % name)
    protos = call(url, 'itemprototype.get', {'templateids': got[0]['templateid'],
                                             'countOutput': True}, auth)
    for listed in ('macros', 'valuemaps'):
        got[0][listed] = len(got[0].get(listed, []))
    for k in ('items', 'discoveries', 'triggers', 'macros', 'valuemaps'):
        print('%s %s' % (k, got[0][k]))
    print('itemprototypes %s' % protos)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == 'import':
        import_template(path, sys.argv[3])
        return
    t = template(path)
    if cmd == 'oids':
        oids(t)
    elif cmd == 'js':
        sys.stdout.write(rule(t, sys.argv[3])['preprocessing'][0]['parameters'][0])
    elif cmd == 'lld':
        for macro, oid in discovery_oids(rule(t, sys.argv[3])['snmp_oid']):
            print('%s\t%s' % (macro, oid))
    elif cmd == 'traps':
        traps(t)
    elif cmd == 'counts':
        rules = t.get('discovery_rules', [])
        for k, n in (('items', len(t.get('items', []))), ('discoveries', len(rules)),
                     ('triggers', sum(len(i.get('triggers', [])) for i in t.get('items', []))),
                     ('macros', len(t.get('macros', []))),
                     ('valuemaps', len(t.get('valuemaps', []))),
                     ('itemprototypes', sum(len(r.get('item_prototypes', [])) for r in rules))):
            print('%s %d' % (k, n))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
