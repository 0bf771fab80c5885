export async function checkAlerts(_env: Env, _now = new Date()): Promise<void> {}
