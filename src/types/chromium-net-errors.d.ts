declare module 'chromium-net-errors' {
  const netErrors: {
    getErrors(): Array<{ name: string; code: number; description: string; type: string; message: string }>;
  };
  export default netErrors;
}
