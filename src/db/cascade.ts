import type { Transaction } from "./client.ts";

/**
 * What is deleted together with a child or an institution, in the caller's transaction.
 * Each domain that stores data about them registers one step; the composition root
 * (src/domains.ts) registers them all before the app is built, so this layer names no
 * domain. Without any step registered the deletions refuse to run rather than delete
 * only part of what they must.
 */
export interface CascadeStep {
  /** Which domain the step belongs to. */
  name: string;
  /** Deletes what the domain holds about a child. */
  child?(tx: Transaction, childId: string): Promise<void>;
  /** Deletes what the domain holds about an institution. */
  institution?(tx: Transaction, institutionId: string): Promise<void>;
}

const steps: CascadeStep[] = [];

/** Adds a domain's step (once: registering the same step again changes nothing). */
export function registerCascadeStep(step: CascadeStep): void {
  if (!steps.includes(step)) steps.push(step);
}

function registered(): readonly CascadeStep[] {
  if (steps.length === 0) throw new Error("no cascade step registered (import src/domains.ts)");
  return steps;
}

/** Deletes everything the platform holds about a child (account links are removed by accounts). */
export async function deleteChildData(tx: Transaction, childId: string): Promise<void> {
  for (const step of registered()) await step.child?.(tx, childId);
}

/** Deletes what belongs to an institution (its environment readings, tracking.md §12.2). */
export async function deleteInstitutionData(
  tx: Transaction,
  institutionId: string,
): Promise<void> {
  for (const step of registered()) await step.institution?.(tx, institutionId);
}
