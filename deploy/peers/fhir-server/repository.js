'use strict';
// MemoryRepository with what a test peer needs on top of Medplum's in-memory store:
//  * validation of every written resource (core.validateResource) unless disabled,
//  * all-or-nothing transactions: the outermost withTransaction() snapshots the two
//    maps and restores them when the callback throws (MemoryRepository has no rollback),
//  * a list of written resources (create, update and patch all end in createResource)
//    that the server drains after a request to send Subscription notifications,
//  * a readHistory that does not reverse the stored history in place on every call.

const core = require('@medplum/core');
const { MemoryRepository } = require('@medplum/fhir-router');

class TestRepository extends MemoryRepository {
  constructor({ validate = true } = {}) {
    super();
    this.validate = validate;
    this.written = [];
    this.transactionDepth = 0;
  }

  async createResource(resource, options) {
    if (this.validate) {
      core.validateResource(resource); // throws OperationOutcomeError (-> 400) on errors
    }
    const result = await super.createResource(resource, options);
    this.written.push(result);
    return result;
  }

  async withTransaction(callback) {
    if (this.transactionDepth > 0) {
      return callback(undefined);
    }
    const snapshot = {
      resources: structuredClone(this.resources),
      history: structuredClone(this.history),
      written: this.written.length,
    };
    this.transactionDepth++;
    try {
      return await callback(undefined);
    } catch (err) {
      replaceMap(this.resources, snapshot.resources);
      replaceMap(this.history, snapshot.history);
      this.written.length = snapshot.written;
      throw err;
    } finally {
      this.transactionDepth--;
    }
  }

  async readHistory(resourceType, id) {
    await this.readResource(resourceType, id);
    const versions = [...(this.history.get(resourceType)?.get(id) ?? [])].reverse();
    const entry = versions.map((version) => ({ resource: core.deepClone(version) }));
    return { resourceType: 'Bundle', type: 'history', ...(entry.length ? { entry } : undefined) };
  }

  /** Returns and forgets the resources written since the last call. */
  takeWritten() {
    const written = this.written;
    this.written = [];
    return written;
  }

  clear() {
    super.clear();
    this.written = [];
  }
}

function replaceMap(target, source) {
  target.clear();
  for (const [key, value] of source) {
    target.set(key, value);
  }
}

module.exports = { TestRepository };
