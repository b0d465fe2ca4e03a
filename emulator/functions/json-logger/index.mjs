// JSON-logging sample: its LogFormat is JSON, so its own logs and the platform's START/REPORT
// records are JSON lines (platform.start, platform.report).
export const handler = async (event, context) => {
  console.log('processing order', { orderId: (event && event.orderId) || 'o-1' });
  console.warn('inventory low');
  return { requestId: context.awsRequestId, ok: true };
};
