// CPU-bound sample: a fixed amount of arithmetic, single-threaded. Its duration follows the
// classic power-tuning curve: halves when memory doubles, flat past one vCPU (1,769 MB).
function spin(rounds) {
  let x = 1;
  for (let i = 0; i < rounds; i++) x = (x * 48271 + i) % 2147483647;
  return x;
}

export const handler = async (event) => {
  const rounds = Math.round(((event && event.work) || 1) * 15_000_000);
  const checksum = spin(rounds);
  return { rounds, checksum };
};
